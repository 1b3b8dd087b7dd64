package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A worker whose heartbeats stop for a while (here: frozen by SIGSTOP) is dropped and its work
 * retried elsewhere; when it comes back, it must not run again what it had not started.
 */
class LateHeartbeatsTest {

  @Test
  void aWorkerBackAfterADropGivesBackWhatItHadNotStartedAndRunsOnlyWhatItHad() throws Exception {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      LocalCluster.Node a = c.startWorker("echo", "cpu", "--concurrency", "1");
      LocalCluster.Node b = c.startWorker("echo", "cpu", "--concurrency", "1");
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        // 2 s of CPU time each: a frozen process does not advance it
        answers.add(c.httpClient().sendAsync(HttpRequest.newBuilder(c.uri("/echo?spin=2000&n=" + i))
            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      Poll.until(Duration.ofSeconds(10), "each worker has one request running and one waiting ahead",
          () -> c.workerStatus(a).getInteger("inFlight") == 2 && c.workerStatus(b).getInteger("inFlight") == 2);
      a.pause();
      try {
        Poll.until(Duration.ofSeconds(10), "the controller dropped the frozen worker", () -> c.liveWorkers("echo") == 1);
      } finally {
        a.resume();
      }
      Poll.until(Duration.ofSeconds(10), "the worker is back", () -> c.liveWorkers("echo") == 2);
      for (CompletableFuture<HttpResponse<String>> f : answers) {
        HttpResponse<String> r = f.get(90, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
      }
      // the inference a had started ran twice (on a, and retried on b): at least once, not at
      // most once; the one that waited ahead on a was given back unstarted and ran once, on b
      Poll.until(Duration.ofSeconds(30), "the frozen worker finished what it had started",
          () -> c.workerStatus(a).getInteger("heldElsewhere") == 0 && c.workerStatus(a).getInteger("inFlight") == 0);
      long ran = inferences(c, a) + inferences(c, b);
      assertEquals(4 + 1, ran, "inferences on a and b, for 4 requests of which a had started one before it froze");
    }
  }

  /** Inferences the worker started before this call. */
  private static long inferences(LocalCluster c, LocalCluster.Node worker) {
    return Http.json(c.getFromWorker(worker, "/echo")).getLong("inferences") - 1;
  }
}
