package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A controller taking HTTP on three event loops ({@code --http-event-loops 3}) in front of one
 * dispatcher. Vert.x hands each new connection to the next loop in turn, so a check made on
 * three fresh connections in a row runs once on the dispatcher's own loop and once on each of
 * the other two, where every call into the dispatcher changes threads and comes back.
 */
class ControllerEventLoopsTest {

  private static final int LOOPS = 3;
  private static final Pattern ECHO_200 =
      Pattern.compile("^modelserve_requests_total\\{service=\"echo\",status=\"200\"\\} ([0-9.E]+)$", Pattern.MULTILINE);

  static LocalCluster c;

  @BeforeAll
  static void start() {
    c = LocalCluster.builder(Main.class.getName())
        .controllerArgs("--http-event-loops", "" + LOOPS, "--max-queue", "1", "--startup-grace-ms", "0").start();
    c.startWorker("echo");
    c.startWorker("echo");
    c.startWorker("stream");
    // one inference at a time, 2 s each: three requests fill it and its queue of 1
    c.startWorker("sim", "cpu:2000");
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  @Test
  void statusSaysHowManyLoopsTakeHttp() {
    assertEquals(LOOPS, Http.json(c.get("/_/status")).getInteger("httpEventLoops"));
    assertTrue(c.controller().logText().contains(LOOPS + " HTTP event loop(s)"), c.controller().logText());
  }

  @Test
  void manyConnectionsEachGetTheirOwnAnswerExactlyOnce() throws Exception {
    double before = answered200();
    // one connection per client, spread over the loops; 4 at once stay within what two echo
    // workers (one running and one held ahead each) and the queue of 1 take
    int clients = 4;
    int each = 100;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int k = 0; k < clients; k++) {
        int client = k;
        runs.add(pool.submit(() -> {
          HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
          for (int j = 0; j < each; j++) {
            int i = client * each + j;
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(c.uri("/echo?i=" + i))
                .POST(HttpRequest.BodyPublishers.ofString("request " + i)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            JsonObject echo = Http.json(r);
            assertEquals("request " + i, echo.getString("body"), r.body());
            assertEquals("" + i, echo.getJsonObject("query").getJsonArray("i").getString(0), r.body());
          }
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    int n = clients * each;
    // counted once each, on whichever loop wrote the answer
    Poll.until(Duration.ofSeconds(10), n + " more answers counted", () -> answered200() >= before + n);
    assertEquals(before + n, answered200());
  }

  @Test
  void continueOrRefusalBeforeTheBodyOnEveryLoop() {
    for (int i = 0; i < LOOPS; i++) {
      try (RawHttp raw = new RawHttp(c.controllerPort())) {
        raw.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
            + "Expect: 100-continue\r\n\r\n");
        assertEquals(100, raw.read().status());
        RawHttp.Response r = raw.send("hello").read();
        assertEquals(200, r.status(), r.body());
        assertEquals("hello", r.json().getString("body"));
      }
    }
    var filling = FullQueue.fill(c);
    for (int i = 0; i < LOOPS; i++) {
      FullQueue.assertRefusedBeforeTheBody(c);
    }
    filling.forEach(f -> assertEquals(200, f.join().statusCode()));
  }

  @Test
  void streamsRelayOnEveryLoopAndAClientLeavingStopsTheModel() {
    for (int i = 0; i < LOOPS; i++) {
      try (StreamClient s = new StreamClient(c.controllerPort(), "/stream?n=20&ms=2").head().readToEnd()) {
        assertEquals(200, s.status, s.body);
        assertTrue(s.cleanEnd, "the stream ends with its last chunk");
        assertEquals(20, s.events.size(), s.events.toString());
      }
    }
    for (int i = 0; i < LOOPS; i++) {
      LeavingClient.leaveAndAwaitStop(c);
    }
  }

  @Test
  void theUnknownAndTheAdminPathsAnswerOnEveryLoop() {
    for (int i = 0; i < LOOPS; i++) {
      try (RawHttp raw = new RawHttp(c.controllerPort())) {
        RawHttp.Response r = raw.send("GET /nosuch HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
        assertEquals(404, r.status(), r.body());
        assertTrue(r.json().getJsonArray("services").contains("echo"), r.body());
      }
      try (RawHttp raw = new RawHttp(c.controllerPort())) {
        RawHttp.Response r = raw.send("GET /_/ready HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
        assertEquals(200, r.status(), r.body());
      }
      try (RawHttp raw = new RawHttp(c.controllerPort())) {
        RawHttp.Response r = raw.send("GET /_/metrics HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
        assertEquals(200, r.status(), r.body());
        assertTrue(r.body().contains("modelserve_live_workers{service=\"echo\"} 2"), r.body());
      }
    }
  }

  private static double answered200() {
    Matcher m = ECHO_200.matcher(c.get("/_/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
