package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streamed answers through a real controller and worker: chunks come as they are written, a
 * client that leaves stops the model, and a client that reads nothing holds the model back
 * instead of filling memory. Failures and timeouts have their own clusters
 * ({@link StreamingFailuresTest}).
 */
class StreamingTest {

  private static LocalCluster c;
  private static LocalCluster.Node worker;

  @BeforeAll
  static void start() throws Exception {
    c = LocalCluster.builder(Main.class.getName()).start();
    worker = c.startWorker("stream");
  }

  @AfterAll
  static void stop() {
    if (c != null) {
      c.close();
    }
  }

  @Test
  void eventsArriveAsTheyAreWrittenNotAllAtTheEnd() {
    try (StreamClient s = new StreamClient(c.controllerPort(), "/stream?n=5&ms=200").head()) {
      assertEquals(200, s.status, s.body);
      assertTrue(s.headers.get("content-type").startsWith("text/event-stream"), s.headers.toString());
      assertEquals("chunked", s.headers.get("transfer-encoding"));
      s.readToEnd();
      assertTrue(s.cleanEnd, "the stream ends with its last chunk");
      assertEquals(5, s.events.size(), s.events.toString());
      for (int i = 0; i < 5; i++) {
        assertEquals("" + i, s.events.get(i).data());
        assertNull(s.events.get(i).name());
      }
      // written 800 ms apart; a generous margin, and no speed asserted
      long spreadMs = TimeUnit.NANOSECONDS.toMillis(s.events.get(4).atNanos() - s.events.get(0).atNanos());
      assertTrue(spreadMs >= 400, "the first event came only " + spreadMs + " ms before the last");
    }
  }

  @Test
  void aPlainTextStreamIsChunkedAndEndsCleanly() {
    try (StreamClient s = new StreamClient(c.controllerPort(), "/stream?n=3&ms=0&as=text").head().readToEnd()) {
      assertEquals(200, s.status);
      assertTrue(s.headers.get("content-type").startsWith("text/plain"), s.headers.toString());
      assertTrue(s.cleanEnd);
      assertEquals(java.util.List.of("0", "1", "2"), s.events.stream().map(StreamClient.Event::data).toList());
    }
  }

  @Test
  void anEmptyStreamEndsAtOnce() {
    try (StreamClient s = new StreamClient(c.controllerPort(), "/stream?n=0").head().readToEnd()) {
      assertEquals(200, s.status);
      assertTrue(s.cleanEnd);
      assertEquals(0, s.events.size());
    }
  }

  @Test
  void aClientThatLeavesStopsTheModelAndFreesTheDevice() {
    JsonObject before = LeavingClient.leaveAndAwaitStop(c);
    long produced = stats().getLong("produced");
    assertTrue(produced - before.getLong("produced") < 100_000, "produced " + produced);
    // the device is free: a whole stream comes next, and the stopped one produced nothing more
    try (StreamClient s = new StreamClient(c.controllerPort(), "/stream?n=3&ms=0").head().readToEnd()) {
      assertTrue(s.cleanEnd);
      assertEquals(3, s.events.size());
    }
    assertEquals(produced + 3, stats().getLong("produced"));
  }

  @Test
  void aClientThatReadsNothingHoldsTheModelBackThenGetsEverythingInOrder() {
    int total = 100_000;
    JsonObject before = stats();
    try (StreamClient s = new StreamClient(c.controllerPort(), "/stream?ms=0&size=1000&n=" + total, 4096)) {
      long[] last = {-1, System.nanoTime()};
      Poll.until(Duration.ofSeconds(60), "the model is held back", () -> {
        long produced = stats().getLong("produced") - before.getLong("produced");
        if (produced != last[0]) {
          last[0] = produced;
          last[1] = System.nanoTime();
          return false;
        }
        return produced > 0 && System.nanoTime() - last[1] > TimeUnit.SECONDS.toNanos(2);
      });
      long held = last[0];
      // socket buffers (up to a few MB on loopback) + the controller's write queue + the window
      assertTrue(held < total / 5, "the model wrote " + held + " of " + total + " events for a client that read none");
      s.head().readToEnd();
      assertTrue(s.cleanEnd, "the stream ends cleanly");
      assertEquals(total, s.events.size());
      for (int i = 0; i < total; i++) {
        String data = s.events.get(i).data();
        assertEquals("" + i, data.substring(0, data.indexOf(' ')), "event " + i + " in order");
        assertEquals(1000 + 1 + ("" + i).length(), data.length());
      }
      System.out.println("slow client: the model wrote " + held + " events (1 KB each) before waiting");
    }
  }

  @Test
  void theWorkersOwnPortRefusesAStreamClearly() {
    var r = c.getFromWorker(worker, "/stream?n=3");
    assertEquals(501, r.statusCode(), r.body());
    assertTrue(new JsonObject(r.body()).getString("error").contains("through the controller"), r.body());
  }

  @Test
  void aBadParameterAnswers400BeforeAnyStream() {
    try (StreamClient s = new StreamClient(c.controllerPort(), "/stream?n=many").head()) {
      assertEquals(400, s.status);
      assertTrue(new JsonObject(s.body).getString("error").contains("'n'"), s.body);
    }
  }

  private static JsonObject stats() {
    return LeavingClient.stats(c);
  }
}
