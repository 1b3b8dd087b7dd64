package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import io.modelserve.testing.PrometheusServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real cluster (controller, two echo workers) scraped by a real Prometheus server: what the
 * test sends is what Prometheus counts, read back through its query API.
 */
class MetricsThroughPrometheusTest {

  private static final String ADMIN = "admin-3f9c2e71b4d8a6055e1f";
  private static final int WARM_UP = 3;
  private static final int SENT = 50;

  @Test
  void prometheusCountsExactlyTheRequestsSentByStatusAtTheControllerAndOnTheWorkers() throws Exception {
    Path dir = Files.createTempDirectory("prometheus");
    Path admin = ApiKeysTest.write(dir.resolve("admin-keys"), ADMIN + " prometheus\n");
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).adminKey(ADMIN)
        .controllerArgs("--admin-key-file", admin.toString(), "--max-body-bytes", "1000").start()) {
      LocalCluster.Node w1 = c.startWorker("echo");
      LocalCluster.Node w2 = c.startWorker("echo");
      c.awaitLiveWorkers("echo", 2);

      // the controller's metrics need the admin key; the worker's, with no API keys, are open
      assertEquals(401, ApiKeysTest.get(c, c.uri("/_/metrics"), null, null).statusCode());
      HttpResponse<String> text = ApiKeysTest.get(c, c.uri("/_/metrics"), "Authorization", "Bearer " + ADMIN);
      assertEquals(200, text.statusCode(), text.body());
      assertTrue(text.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"),
          text.headers().toString());
      assertTrue(text.body().contains("modelserve_live_workers{service=\"echo\"} 2"), text.body());
      HttpResponse<String> own = c.getFromWorker(w1, "/_/metrics");
      assertEquals(200, own.statusCode(), own.body());
      assertTrue(own.body().contains("modelserve_worker_inferences_total{device=\"cpu\",service=\"echo\"}"), own.body());

      try (PrometheusServer prometheus = PrometheusServer.start(dir, List.of(
          new PrometheusServer.Job("controller", List.of("127.0.0.1:" + c.controllerPort()), "/_/metrics", ADMIN),
          new PrometheusServer.Job("workers", List.of("127.0.0.1:" + w1.httpPort(), "127.0.0.1:" + w2.httpPort()),
              "/_/metrics", null)))) {
        Poll.until(Duration.ofSeconds(30), "Prometheus scrapes all three", () -> prometheus.query("sum(up)") == 3);

        // a first few, so that the counters exist before the baseline is read
        for (int i = 0; i < WARM_UP; i++) {
          assertEquals(200, c.get("/echo?warm=" + i).statusCode());
        }
        String answered = "sum(modelserve_requests_total{service=\"echo\",status=\"200\"})";
        String inferences = "sum(modelserve_worker_inferences_total{service=\"echo\"})";
        // each target is scraped on its own schedule: wait until every one has counted them
        Poll.until(Duration.ofSeconds(30), "Prometheus sees the first requests everywhere",
            () -> prometheus.query(answered) >= WARM_UP && prometheus.query(inferences) >= WARM_UP);
        double before = prometheus.query(answered);
        double inferencesBefore = prometheus.query(inferences);
        assertEquals(WARM_UP, before, "the first requests at the controller");
        assertEquals(WARM_UP, inferencesBefore, "the first requests on the workers");

        for (int i = 0; i < SENT; i++) {
          HttpResponse<String> r = c.get("/echo?i=" + i);
          assertEquals(200, r.statusCode(), r.body());
        }
        HttpResponse<String> tooLarge = c.send(HttpRequest.newBuilder(c.uri("/echo"))
            .POST(HttpRequest.BodyPublishers.ofString("x".repeat(2_000))).build());
        assertEquals(413, tooLarge.statusCode(), tooLarge.body());

        Poll.until(Duration.ofSeconds(30), "Prometheus sees every request", () -> prometheus.query(answered) >= before + SENT
            && prometheus.query("sum(modelserve_worker_inferences_total{service=\"echo\"})") >= inferencesBefore + SENT
            && prometheus.query("sum(modelserve_requests_total{service=\"echo\",status=\"413\"})") >= 1);
        assertEquals(before + SENT, prometheus.query(answered), "requests answered 200 at the controller");
        assertEquals(inferencesBefore + SENT, prometheus.query("sum(modelserve_worker_inferences_total{service=\"echo\"})"),
            "inferences on the two workers together");
        assertEquals(1, prometheus.query("sum(modelserve_requests_total{service=\"echo\",status=\"413\"})"),
            "the request refused for its size");
        double total = WARM_UP + SENT + 1;
        assertEquals(total, prometheus.query("sum(modelserve_request_duration_seconds_count{service=\"echo\"})"),
            "every answer timed, the refusal included");
        assertEquals(WARM_UP + SENT, prometheus.query("sum(modelserve_queue_wait_seconds_count{service=\"echo\"})"),
            "every request dispatched once");
        assertEquals(WARM_UP + SENT, prometheus.query("sum(modelserve_inference_duration_seconds_count{service=\"echo\"})"),
            "an inference time for every answer");
        assertEquals(2, prometheus.query("modelserve_live_workers{service=\"echo\"}"));
        assertEquals(0, prometheus.query("modelserve_queue_depth{service=\"echo\"}"));
        assertEquals(WARM_UP + SENT, prometheus.query(
            "sum(modelserve_worker_request_duration_seconds_count{service=\"echo\",device=\"cpu\"})"));
        assertEquals(0, prometheus.query("sum(modelserve_worker_errors_total{service=\"echo\"})"));
        assertTrue(prometheus.query("histogram_quantile(0.5, sum by (le) (rate(modelserve_request_duration_seconds_bucket"
            + "{service=\"echo\"}[1m])))") > 0, "a latency percentile from the histogram");
        assertTrue(prometheus.query("sum(jvm_memory_used_bytes{job=\"controller\"})") > 0, "the JVM's own metrics");
      }
    }
  }

  /** The scrape a user's Prometheus gets without the admin key: refused, and Prometheus says so. */
  @Test
  void withoutTheAdminKeyPrometheusIsRefused() throws Exception {
    Path dir = Files.createTempDirectory("prometheus");
    Path admin = ApiKeysTest.write(dir.resolve("admin-keys"), ADMIN + "\n");
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).adminKey(ADMIN)
        .controllerArgs("--admin-key-file", admin.toString()).start();
        PrometheusServer prometheus = PrometheusServer.start(dir, List.of(
            new PrometheusServer.Job("controller", List.of("127.0.0.1:" + c.controllerPort()), "/_/metrics", "wrong-key")))) {
      Poll.until(Duration.ofSeconds(30), "Prometheus has tried to scrape", () -> prometheus.query("up") == 0);
      String error = prometheus.targets().getJsonObject(0).getString("lastError");
      assertTrue(error.contains("401"), error);
      URI metrics = c.uri("/_/metrics");
      assertEquals(401, ApiKeysTest.get(c, metrics, "Authorization", "Bearer wrong-key").statusCode());
    }
  }
}
