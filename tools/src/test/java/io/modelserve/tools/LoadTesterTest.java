package io.modelserve.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(60)
class LoadTesterTest {

  private TestServer server;

  @BeforeEach
  void startServer(Vertx vertx, VertxTestContext context) {
    TestServer.start(vertx).onComplete(context.succeeding(started -> {
      server = started;
      context.completeNow();
    }));
  }

  @AfterEach
  void stopServer(VertxTestContext context) {
    server.close().onComplete(context.succeedingThenComplete());
  }

  private static LoadOptions.Builder load(String url) {
    return LoadOptions.builder(RequestSpec.builder(url).build());
  }

  @Test
  void n_requests_arrive_exactly_n_times_and_all_count_as_successful() {
    RequestSpec spec = RequestSpec.builder(server.url("/ok")).query("text", "a b&c").build();

    LoadResult result = LoadTester.run(LoadOptions.builder(spec).requests(200).concurrency(8).build());

    assertEquals(200, server.arrivals());
    assertEquals(LoadMode.CLOSED_LOOP, result.mode());
    assertEquals(200, result.requests());
    assertEquals(200, result.ok());
    assertEquals(0, result.failed());
    assertTrue(result.failuresByKind().isEmpty());
    assertTrue(result.rps() > 0);
    assertTrue(result.p50Ms() > 0 && result.p50Ms() <= result.p99Ms() && result.p99Ms() <= result.maxMs());
    server.received().forEach(r -> assertEquals("a b&c", r.query().get("text")));
  }

  @Test
  void non_2xx_answers_count_as_failures_per_status() {
    LoadResult result = LoadTester.run(load(server.url("/every-4th-fails")).requests(100).concurrency(5).build());

    assertEquals(100, server.arrivals());
    assertEquals(75, result.ok());
    assertEquals(25, result.failed());
    assertEquals(Map.of("HTTP 500", 25L), result.failuresByKind());
  }

  @Test
  void latency_is_zero_when_nothing_succeeded() {
    LoadResult result = LoadTester.run(load(server.url("/fail")).requests(10).concurrency(2).build());

    assertEquals(10, result.failures("HTTP 500"));
    assertEquals(0, result.ok());
    assertEquals(0.0, result.p99Ms());
  }

  @Test
  void transport_errors_count_as_failures_of_their_kind(Vertx vertx) {
    // A port that was just free: nothing listens there, so every connect is refused.
    int port = vertx.createHttpServer().requestHandler(r -> {}).listen(0, "127.0.0.1")
        .compose(s -> s.close().map(v -> s.actualPort()))
        .toCompletionStage().toCompletableFuture().join();

    LoadResult result = LoadTester.run(load("http://127.0.0.1:" + port + "/x").requests(5).concurrency(2).build());

    assertEquals(5, result.requests());
    assertEquals(0, result.ok());
    assertEquals(Map.of("connection refused", 5L), result.failuresByKind());
  }

  @Test
  void requests_without_an_answer_fail_as_timeouts() {
    RequestSpec spec = RequestSpec.builder(server.url("/hang")).timeoutMs(200).build();

    LoadResult result = LoadTester.run(LoadOptions.builder(spec).requests(4).concurrency(2).build());

    assertEquals(Map.of("timeout", 4L), result.failuresByKind());
    assertEquals(4, server.arrivals());
  }

  @Test
  void concurrency_c_never_puts_more_than_c_requests_in_flight() {
    LoadTester.run(load(server.url("/slow")).requests(120).concurrency(4).build());

    assertEquals(120, server.arrivals());
    assertTrue(server.maxInFlight() <= 4, "max in flight " + server.maxInFlight());
    assertTrue(server.maxInFlight() >= 2, "requests were never concurrent");
  }

  @Test
  void open_loop_sends_about_rate_times_duration_requests() {
    LoadResult result = LoadTester.run(load(server.url("/ok")).rate(200).durationSeconds(1).concurrency(20).build());

    assertEquals(LoadMode.OPEN_LOOP, result.mode());
    assertEquals(200.0, result.rate());
    assertTrue(server.arrivals() >= 160 && server.arrivals() <= 240, "arrivals " + server.arrivals());
    assertEquals(server.arrivals(), result.requests());
    assertEquals(result.requests(), result.ok());
  }

  @Test
  void open_loop_with_a_count_sends_exactly_that_many() {
    LoadResult result = LoadTester.run(load(server.url("/slow")).rate(1000).requests(150).concurrency(3).build());

    assertEquals(150, server.arrivals());
    assertEquals(150, result.ok());
    assertTrue(server.maxInFlight() <= 3, "max in flight " + server.maxInFlight());
  }

  @Test
  void closed_loop_for_a_duration_stops_sending_when_time_is_up() {
    LoadResult result = LoadTester.run(load(server.url("/slow")).durationSeconds(0.5).concurrency(2).build());

    assertTrue(result.durationSeconds() >= 0.5 && result.durationSeconds() < 10, "took " + result.durationSeconds());
    assertTrue(result.requests() > 0);
    assertEquals(server.arrivals(), result.requests());
  }

  @Test
  void warmup_requests_reach_the_server_but_not_the_result() {
    LoadResult result = LoadTester.run(load(server.url("/ok")).warmup(20).requests(50).concurrency(4).build());

    assertEquals(70, server.arrivals());
    assertEquals(50, result.requests());
    assertEquals(20, result.warmupRequests());
  }

  @Test
  void the_warmup_by_time_runs_at_least_its_seconds_and_stays_out_of_the_result() {
    LoadResult result = LoadTester.run(load(server.url("/ok")).warmupSeconds(0.5).requests(40).concurrency(2).build());

    assertEquals(40, result.requests());
    assertTrue(result.warmupSeconds() >= 0.5, "warm-up " + result.warmupSeconds() + " s");
    // windows until three agree, at most ten times the warm-up (and a window's last answers)
    assertTrue(result.warmupSeconds() < 0.5 * 10 + 1, "warm-up " + result.warmupSeconds() + " s");
    assertTrue(result.warmupRequests() > 0);
    assertEquals(40 + result.warmupRequests(), server.arrivals());
  }

  @Test
  void every_request_carries_the_same_multipart_form_and_file_bytes(@TempDir Path dir) throws Exception {
    byte[] image = new byte[5000];
    for (int i = 0; i < image.length; i++) {
      image[i] = (byte) (i * 31);
    }
    Path png = Files.write(dir.resolve("cat.png"), image);
    RequestSpec spec = RequestSpec.builder(server.url("/ok"))
        .form("lang", "en").file("image", png).header("X-Api-Key", "k1").build();

    LoadResult result = LoadTester.run(LoadOptions.builder(spec).requests(30).concurrency(3).build());

    assertEquals(30, result.ok());
    assertEquals(30, server.received().size());
    for (TestServer.Received r : server.received()) {
      assertEquals("POST", r.method());
      assertEquals("k1", r.headers().get("X-Api-Key"));
      assertEquals(Map.of("lang", "en"), r.form());
      assertEquals(1, r.uploads().size());
      TestServer.Upload upload = r.uploads().get(0);
      assertEquals("image", upload.field());
      assertEquals("cat.png", upload.fileName());
      assertEquals("image/png", upload.contentType());
      assertEquals(Buffer.buffer(image), upload.bytes());
    }
  }

  @Test
  void every_request_carries_the_json_body() {
    RequestSpec spec = RequestSpec.builder(server.url("/ok")).json("{\"text\":\"héllo\"}").build();

    LoadTester.run(LoadOptions.builder(spec).requests(20).concurrency(4).build());

    assertEquals(20, server.received().size());
    for (TestServer.Received r : server.received()) {
      assertEquals("application/json", r.headers().get("Content-Type"));
      assertEquals("{\"text\":\"héllo\"}", r.body().toString("UTF-8"));
    }
  }
}
