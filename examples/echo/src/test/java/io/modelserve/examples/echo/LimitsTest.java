package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Timeouts and overload: clear errors, quickly, and the worker keeps serving. */
class LimitsTest {

  static LocalCluster cluster;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder(Main.class.getName())
        .controllerArgs("--timeout-ms", "1500", "--max-queue", "4").start();
    // one inference at a time, so a request stuck past its timeout would block the next one
    cluster.startWorker("echo", "cpu", "--concurrency", "1");
    cluster.startWorker("sim", "cpu:100");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void inferenceOverTheTimeoutIs504AndTheWorkerServesTheNextRequest() {
    HttpResponse<String> slow = cluster.get("/echo?sleep=30000");
    assertEquals(504, slow.statusCode(), slow.body());
    assertEquals("echo", Http.json(slow).getString("service"));
    HttpResponse<String> next = cluster.get("/echo?after=timeout");
    assertEquals(200, next.statusCode(), next.body());
  }

  @Test
  void beyondTheQueueRequestsGet503WithRetryAfterAtOnce() {
    try (Load load = Load.start(cluster, "/sim", 40, 20).await(Duration.ofSeconds(60))) {
      assertEquals(40, load.answered(), load.toString());
      assertTrue(load.count(503) > 0, "some were turned away: " + load);
      assertTrue(load.count(200) >= 5, "the queue and the worker still served: " + load);
      assertEquals(40, load.count(200) + load.count(503) + load.count(504), load.toString());
    }
    HttpRequest req = HttpRequest.newBuilder(cluster.uri("/sim")).build();
    // fill the worker and the queue, then one more is refused with Retry-After
    var inFlight = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
    for (int i = 0; i < 12; i++) {
      inFlight.add(cluster.httpClient().sendAsync(req, HttpResponse.BodyHandlers.ofString()));
    }
    HttpResponse<String> refused = inFlight.stream().map(java.util.concurrent.CompletableFuture::join)
        .filter(r -> r.statusCode() == 503).findFirst().orElseThrow(() -> new AssertionError("none refused"));
    assertEquals("1", refused.headers().firstValue("retry-after").orElse(""), refused.headers().toString());
    assertTrue(Http.json(refused).getString("error").contains("over capacity"), refused.body());
  }
}
