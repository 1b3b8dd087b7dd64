package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Workers that die or are stopped under load: no request is lost while a worker is left. */
class WorkerFailureTest {

  @Test
  void killingAWorkerUnderLoadFailsNothingAndRoutingStopsWithinTwoSeconds() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      c.startWorker("sim", "cpu:20");
      LocalCluster.Node victim = c.startWorker("sim", "cpu:20");
      try (Load load = Load.start(c, "/sim", 600, 6)) {
        Poll.until(Duration.ofSeconds(30), "both workers answered", () -> load.workers.size() == 2);
        victim.kill();
        long killedAt = System.nanoTime();
        Poll.until(Duration.ofSeconds(5), "the controller dropped the killed worker", () -> c.liveWorkers("sim") == 1);
        long droppedMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertTrue(droppedMs < 2_000, "dropped after " + droppedMs + " ms");
        load.await(Duration.ofSeconds(90));
        assertEquals(0, load.notOk(), load.toString());
        assertEquals(600, load.count(200), load.toString());
      }
    }
  }

  @Test
  void sigtermDrainsAWorkerUnderLoadWithoutAFailedRequest() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      c.startWorker("sim", "cpu:20");
      LocalCluster.Node leaving = c.startWorker("sim", "cpu:20");
      try (Load load = Load.start(c, "/sim", 600, 6)) {
        Poll.until(Duration.ofSeconds(30), "both workers answered", () -> load.workers.size() == 2);
        leaving.terminate();
        assertTrue(leaving.awaitExit(Duration.ofSeconds(30)), "the worker left after draining");
        int exit = leaving.process().exitValue();
        // 143 = 128 + SIGTERM: the JVM's usual status after its shutdown hooks ran
        assertTrue(exit == 0 || exit == 143, "exit status " + exit);
        assertTrue(leaving.logText().contains("drained"), leaving.logText());
        load.await(Duration.ofSeconds(90));
        assertEquals(0, load.notOk(), load.toString());
        assertEquals(600, load.count(200), load.toString());
      }
      assertEquals(1, c.liveWorkers("sim"));
    }
  }

  @Test
  void killingTheLastWorkerAnswers502ForWorkInFlightThen503() throws Exception {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      LocalCluster.Node only = c.startWorker("echo");
      var inFlight = c.httpClient().sendAsync(
          java.net.http.HttpRequest.newBuilder(c.uri("/echo?sleep=20000")).build(), HttpResponse.BodyHandlers.ofString());
      Poll.until(Duration.ofSeconds(10), "the request is in flight",
          () -> c.get("/_/status").body().contains("\"inFlight\" : 1"));
      only.kill();
      HttpResponse<String> r = inFlight.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(502, r.statusCode(), r.body());
      assertEquals("echo", Http.json(r).getString("service"));
      HttpResponse<String> after = c.get("/echo");
      assertEquals(503, after.statusCode(), after.body());
      assertTrue(Http.json(after).getString("error").contains("no live worker"), after.body());
    }
  }
}
