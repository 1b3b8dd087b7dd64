package io.modelserve.impl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.Model;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A model's status is checked on the device thread: a status HTTP cannot carry answers 500 at once. */
class DeviceRunnerStatusTest {

  /** Answers {@code ?status=N} as a response, or with {@code ?throw} as an ApiException. */
  public static final class StatusModel implements Model {
    @Override
    public void init(String device) {}

    @Override
    public ApiResponse inference(ApiRequest request) {
      int status = Integer.parseInt(request.query("status"));
      if (request.query("throw") != null) {
        throw new ApiException(status, "asked for " + status);
      }
      return new ApiResponse(status, "application/json", Map.of(), "{}".getBytes());
    }
  }

  static Vertx vertx;
  static DeviceRunner runner;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    runner = new DeviceRunner(vertx, "status", "cpu", 1);
    runner.init(StatusModel.class, "cpu", io.modelserve.Settings.empty()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    runner.close();
    vertx.close();
  }

  private static ApiResponse infer(String query) throws Exception {
    ApiRequest.Builder b = ApiRequest.builder().method("GET").path("/status");
    for (String kv : query.split("&")) {
      String[] p = kv.split("=", 2);
      b.query(p[0], p.length > 1 ? p[1] : "");
    }
    // the 60 s timeout is far away: an answer that never comes fails at get's 10 s, not as a 504
    return runner.infer(b.build(), 60_000).result().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anApiExceptionWithAStatusOutsideHttpAnswers500AtOnce() throws Exception {
    ApiResponse r = infer("status=700&throw");
    assertEquals(500, r.status());
    assertTrue(new JsonObject(r.bodyText()).getString("error").contains("700"), r.bodyText());
    assertEquals(500, infer("status=0&throw").status());
  }

  @Test
  void anInformationalStatusAnswers500RatherThanLeaveTheClientWaiting() throws Exception {
    ApiResponse r = infer("status=101");
    assertEquals(500, r.status());
    assertEquals("status", new JsonObject(r.bodyText()).getString("service"));
    assertTrue(new JsonObject(r.bodyText()).getString("error").contains("101"), r.bodyText());
    assertEquals(500, infer("status=100&throw").status());
  }

  @Test
  void finalStatusesPassUnchanged() throws Exception {
    assertEquals(201, infer("status=201").status());
    assertEquals(599, infer("status=599").status());
    assertEquals(418, infer("status=418&throw").status());
  }
}
