package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** SIGTERM on a controller: it stops accepting, answers what it holds, then exits. */
class ControllerShutdownTest {

  static List<CompletableFuture<HttpResponse<String>>> send(LocalCluster c, int n) {
    return IntStream.range(0, n).mapToObj(i -> c.httpClient().sendAsync(
        HttpRequest.newBuilder(c.uri("/sim?i=" + i)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString())).toList();
  }

  static void awaitQueued(LocalCluster c, int queued) {
    io.modelserve.testing.Poll.until(Duration.ofSeconds(30), queued + " queued", () -> Http.json(c.get("/_/status"))
        .getJsonObject("services").getJsonObject("sim").getInteger("queued") >= queued);
  }

  @Test
  void everyRequestInFlightOrQueuedIsAnsweredBeforeTheControllerExits() throws Exception {
    drainsEverything(1);
  }

  /** Three HTTP event loops: the other two stop first, each draining its connections. */
  @Test
  void withThreeHttpLoopsToo() throws Exception {
    drainsEverything(3);
  }

  private static void drainsEverything(int loops) throws Exception {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName())
        .controllerArgs("--http-event-loops", "" + loops).start()) {
      c.startWorker("sim", "cpu", "--set", "ms=300");
      var answers = send(c, 6);
      awaitQueued(c, 4);
      c.controller().terminate();
      for (var a : answers) {
        HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
      }
      assertTrue(c.controller().awaitExit(Duration.ofSeconds(30)), "the controller exits once drained");
      int exit = c.controller().process().exitValue();
      assertTrue(exit == 0 || exit == 143, "exit status " + exit);
      String log = c.controller().logText();
      assertTrue(log.contains("controller stopping") && log.contains("controller stopped"), log);
    }
  }

  @Test
  void pastTheDrainTimeoutWhatIsStillQueuedIsAnswered503WithRetryAfter() throws Exception {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).controllerArgs("--drain-timeout-ms", "600").start()) {
      c.startWorker("sim", "cpu", "--set", "ms=400");
      var answers = send(c, 5);
      awaitQueued(c, 3);
      c.controller().terminate();
      int refused = 0;
      for (var a : answers) {
        HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
        assertTrue(r.statusCode() == 200 || r.statusCode() == 503, r.statusCode() + " " + r.body());
        if (r.statusCode() == 503) {
          refused++;
          assertEquals("1", r.headers().firstValue("retry-after").orElse(""), r.body());
          assertTrue(Http.json(r).getString("error").contains("shutting down"), r.body());
        }
      }
      assertTrue(refused >= 1, "the last queued request could not be served in 600 ms");
      assertTrue(c.controller().awaitExit(Duration.ofSeconds(30)), "the controller exits");
    }
  }
}
