package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A busy worker may hold one request ahead, but never keeps it from a worker that is idle:
 * the controller takes it back unstarted and gives it to the idle one.
 */
class RequestsAheadTest {

  @Test
  void aRequestWaitingAheadOnABusyWorkerMovesToAWorkerThatFallsIdle() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      LocalCluster.Node slow = c.startWorker("sim", "cpu:60000");
      HttpRequest req = HttpRequest.newBuilder(c.uri("/sim")).build();
      CompletableFuture<HttpResponse<String>> first = c.httpClient().sendAsync(req, HttpResponse.BodyHandlers.ofString());
      Poll.until(Duration.ofSeconds(10), "the first request runs", () -> c.get("/_/status").body().contains("\"inFlight\" : 1"));
      CompletableFuture<HttpResponse<String>> second = c.httpClient().sendAsync(req, HttpResponse.BodyHandlers.ofString());
      // the second waits ahead on the slow worker: nothing is queued at the controller
      Poll.until(Duration.ofSeconds(10), "the second waits ahead", () -> c.get("/_/status").body().contains("\"inFlight\" : 2"));

      c.startWorker("sim", "cpu:10");
      HttpResponse<String> moved = second.join();
      assertEquals(200, moved.statusCode(), moved.body());
      assertEquals("cpu:10", Http.json(moved).getString("device"), "the idle worker answered it");
      assertTrue(!first.isDone(), "it did not wait for the slow worker's current inference");
      assertTrue(slow.process().isAlive());
      slow.kill();
    }
  }
}
