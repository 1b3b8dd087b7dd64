package io.modelserve.impl.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.options.ControllerOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code admit} answers what {@code submit} would, so that a request is refused before its body. */
class DispatcherAdmitTest {

  Vertx vertx;
  Dispatcher dispatcher;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    dispatcher = new Dispatcher(vertx, new ControllerOptions().setMaxQueue(1));
    // a worker that takes requests and never answers: its slot and the one ahead stay taken
    vertx.eventBus().consumer("worker.w1", m -> { });
  }

  @AfterEach
  void stop() {
    vertx.close();
  }

  /** Runs {@code steps} on one event-loop task, as the controller does: no reply interleaves. */
  <T> T onEventLoop(Function<Dispatcher, T> steps) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      try {
        result.complete(steps.apply(dispatcher));
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    return result.get(10, TimeUnit.SECONDS);
  }

  static JsonObject heartbeat(boolean draining) {
    return new JsonObject().put("id", "w1").put("service", "echo").put("address", "worker.w1")
        .put("concurrency", 1).put("draining", draining);
  }

  /** What admit answers for {@code name} once one worker of echo, draining or not, is known. */
  ApiResponse admitAfterOneWorker(boolean draining, String name) throws Exception {
    return onEventLoop(d -> {
      d.onHeartbeat(heartbeat(draining));
      return d.admit(name);
    });
  }

  @Test
  void anUnknownNameIs404ListingTheServices() throws Exception {
    ApiResponse r = admitAfterOneWorker(false, "nope");
    assertEquals(404, r.status());
    assertTrue(r.bodyText().contains("\"services\":[\"echo\"]"), r.bodyText());
  }

  @Test
  void aServiceWithALiveWorkerAndRoomIsAdmitted() throws Exception {
    assertNull(admitAfterOneWorker(false, "echo"));
  }

  @Test
  void aServiceWhoseWorkersAllDrainIs503WithRetryAfter() throws Exception {
    ApiResponse r = admitAfterOneWorker(true, "echo");
    assertEquals(503, r.status());
    assertEquals("1", r.headers().get("Retry-After"));
  }

  @Test
  void aFullQueueIs503WithRetryAfterAndCountsAsRejected() throws Exception {
    List<ApiResponse> answers = new ArrayList<>();
    ApiResponse r = onEventLoop(d -> {
      d.onHeartbeat(heartbeat(false));
      // one runs on the worker, one waits ahead on it, one fills the queue of 1
      for (int i = 0; i < 3; i++) {
        d.submit("echo", ApiRequest.builder().method("GET").path("/echo").build(), answers::add);
      }
      return d.admit("echo");
    });
    assertEquals(503, r.status(), r.bodyText());
    assertTrue(r.bodyText().contains("over capacity"), r.bodyText());
    assertEquals("1", r.headers().get("Retry-After"));
    long rejected = onEventLoop(d -> d.status().getJsonObject("echo").getLong("rejected"));
    assertEquals(1, rejected);
  }
}
