package io.modelserve.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(60)
class LoadTesterCliTest {

  private TestServer server;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

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

  /** {@code text} has a line "label: value", both regular expressions. */
  private static void assertLine(String text, String label, String value) {
    assertTrue(text.matches("(?s)(.*\\n)?" + label + ":\\s+" + value + "\\n.*"), label + " " + value + " in\n" + text);
  }

  private int run(String... args) {
    return LoadTester.execute(args, new PrintWriter(out), new PrintWriter(err));
  }

  @Test
  void prints_the_mode_counts_and_percentiles() {
    int code = run("--url", server.url("/every-4th-fails"), "-n", "40", "-c", "4", "--warmup-seconds", "0");

    assertEquals(0, code, err.toString());
    String text = out.toString();
    assertTrue(text.contains("closed-loop, 4 concurrent clients"), text);
    assertLine(text, "successful", "30");
    assertTrue(text.matches("(?s).*failed:\\s+10\\n\\s+HTTP 500:\\s+10\\n.*"), text);
    assertTrue(text.contains("p99.9"), text);
    // with failures, the rate of all answers and, beside it, that of the successful ones
    assertLine(text, "requests/s", "[0-9.]+ \\([0-9.]+ successful\\)");
    assertEquals(40, server.arrivals());
    assertTrue(!text.contains("warm-up"), text);
  }

  @Test
  void warms_up_by_time_by_default_and_says_so() {
    int code = run("--url", server.url("/ok"), "-n", "20", "-c", "2");

    assertEquals(0, code, err.toString());
    String text = out.toString();
    assertTrue(text.matches("(?s).*warm-up:\\s+\\d+\\.\\d s, \\d+ requests, not in the numbers below\\n.*"), text);
    assertTrue(server.arrivals() > 20, "the warm-up reached the server: " + server.arrivals());
  }

  @Test
  void json_out_writes_every_field_as_parseable_json(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("result.json");

    int code = run("--url", server.url("/ok"), "--rate", "500", "-n", "50", "-c", "5",
        "--warmup-seconds", "0", "--json-out", file.toString());

    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("open-loop at 500.0 requests/s"), out.toString());
    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    for (String field : List.of("mode", "requests", "concurrency", "rate", "durationSeconds", "ok",
        "failed", "failuresByKind", "rps", "p50Ms", "p90Ms", "p99Ms", "p999Ms", "maxMs", "meanMs",
        "warmupSeconds", "warmupRequests")) {
      assertTrue(json.has(field), "missing " + field + " in " + json);
    }
    assertEquals("open-loop", json.get("mode").asText());
    assertEquals(50, json.get("ok").asLong());
    assertEquals(500.0, json.get("rate").asDouble());
    assertEquals(50, LoadResult.fromJson(Files.readString(file)).requests());
  }

  @Test
  void nothing_listening_reports_no_rate_nor_latency_and_exits_1_without_a_long_warm_up() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    int code = run("--url", "http://127.0.0.1:" + port + "/nobody", "-n", "20", "-c", "2");

    assertEquals(1, code, err.toString());
    String text = out.toString();
    assertLine(text, "successful", "0");
    assertTrue(text.contains("connection refused"), text);
    assertLine(text, "requests/s", "none: no request succeeded");
    assertLine(text, "latency \\(ms\\)", "none: no request succeeded");
    assertTrue(err.toString().contains("no request succeeded"), err.toString());
    // the warm-up gave up after its first window instead of running ten times its 3 s
    java.util.regex.Matcher warmup = java.util.regex.Pattern.compile("warm-up:\\s+([0-9.]+) s,").matcher(text);
    assertTrue(warmup.find(), text);
    assertTrue(Double.parseDouble(warmup.group(1)) < 2.0, text);
  }

  @Test
  void missing_url_is_one_clear_line_and_exit_2() {
    assertEquals(2, run("-n", "5"));
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertTrue(err.toString().contains("--url"), err.toString());
    assertEquals(0, server.arrivals());
  }

  @Test
  void a_form_field_without_equals_sign_is_named_in_the_error() {
    assertEquals(2, run("--url", server.url("/ok"), "--form", "lang"));
    assertTrue(err.toString().contains("expected KEY=VALUE, got 'lang'"), err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
  }

  @Test
  void an_unreadable_file_is_named_in_the_error(@TempDir Path dir) {
    Path missing = dir.resolve("nope.png");

    assertEquals(2, run("--url", server.url("/ok"), "--file", "image=" + missing));
    assertEquals("load-tester: cannot read --file image=" + missing + ": no such file",
        err.toString().strip());
    assertEquals(0, server.arrivals());
  }

  @Test
  void a_count_and_a_duration_together_are_refused() {
    assertEquals(2, run("--url", server.url("/ok"), "-n", "5", "--duration", "1"));
    assertTrue(err.toString().contains("not both"), err.toString());
  }

  @Test
  void a_non_http_url_is_refused() {
    assertEquals(2, run("--url", "ftp://127.0.0.1/x"));
    assertTrue(err.toString().contains("http://"), err.toString());
  }
}
