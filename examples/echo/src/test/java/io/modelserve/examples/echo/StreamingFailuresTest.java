package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Streams when things go wrong: a worker that dies before the first chunk (retried), or after
 * it (the client's stream ends with an error), and the stream timeouts.
 */
class StreamingFailuresTest {

  @Test
  void aWorkerKilledBeforeTheFirstChunkIsRetriedAndTheClientGetsTheWholeStream() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      LocalCluster.Node first = c.startWorker("stream");
      LocalCluster.Node second = c.startWorker("stream");
      c.awaitLiveWorkers("stream", 2);
      try (StreamClient s = new StreamClient(c.controllerPort(), "/stream?n=5&ms=50&delay=3000")) {
        Poll.until(Duration.ofSeconds(10), "a worker holds the request", () -> inFlight(c, first) + inFlight(c, second) == 1);
        LocalCluster.Node holder = inFlight(c, first) == 1 ? first : second;
        holder.kill();
        s.head().readToEnd();
        assertEquals(200, s.status, s.body);
        assertTrue(s.cleanEnd, "a clean end");
        assertEquals(List.of("0", "1", "2", "3", "4"), s.events.stream().map(StreamClient.Event::data).toList());
      }
    }
  }

  @Test
  void aWorkerKilledMidStreamEndsTheClientsStreamWithAnErrorEvent() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      LocalCluster.Node worker = c.startWorker("stream");
      try (StreamClient s = new StreamClient(c.controllerPort(), "/stream?n=100000&ms=50").head()) {
        assertEquals(200, s.status);
        s.readEvents(3);
        worker.kill();
        long killed = System.nanoTime();
        s.readToEnd();
        long endedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertTrue(s.cleanEnd, "an event stream ends cleanly after its error event");
        StreamClient.Event last = s.events.get(s.events.size() - 1);
        assertEquals("error", last.name(), s.events.toString());
        assertTrue(new JsonObject(last.data()).getString("error").contains("worker"), last.data());
        assertEquals("stream", new JsonObject(last.data()).getString("service"));
        for (int i = 0; i < s.events.size() - 1; i++) {
          assertEquals("" + i, s.events.get(i).data(), "the events before the error, in order");
          assertNull(s.events.get(i).name());
        }
        assertTrue(endedMs < 10_000, "ended " + endedMs + " ms after the kill");
        System.out.println("worker killed mid-stream: the client's stream ended " + endedMs + " ms later");
      }
    }
  }

  @Test
  void theStreamTimeoutsEndStreamsAsDocumentedAndTheRequestTimeoutDoesNotCutALongStream() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName())
        .controllerArgs("--timeout-ms", "2000", "--stream-first-chunk-timeout-ms", "1000", "--stream-chunk-timeout-ms", "1000")
        .start()) {
      c.startWorker("stream");
      // no first chunk within 1 s: nothing was sent yet, so a plain 504
      try (StreamClient s = new StreamClient(c.controllerPort(), "/stream?n=1&delay=3000").head()) {
        assertEquals(504, s.status, s.body);
        assertTrue(new JsonObject(s.body).getString("error").contains("first chunk"), s.body);
      }
      awaitIdle(c, 1);
      // a gap over 1 s between events: an error event, then a clean end
      try (StreamClient s = new StreamClient(c.controllerPort(), "/stream?n=3&ms=0&gapAfter=0&gap=3000").head().readToEnd()) {
        assertEquals(200, s.status);
        assertTrue(s.cleanEnd);
        assertEquals(2, s.events.size(), s.events.toString());
        assertEquals("0", s.events.get(0).data());
        assertEquals("error", s.events.get(1).name());
        assertTrue(s.events.get(1).data().contains("no chunk within 1000 ms"), s.events.get(1).data());
      }
      awaitIdle(c, 2);
      // the same for plain chunks: the connection closes without the last empty chunk
      try (StreamClient s = new StreamClient(c.controllerPort(), "/stream?as=text&n=3&ms=0&gapAfter=0&gap=3000")
          .head().readToEnd()) {
        assertEquals(200, s.status);
        assertFalse(s.cleanEnd, "a cut stream must not look complete");
        assertTrue(s.cutOff);
        assertEquals(List.of("0"), s.events.stream().map(StreamClient.Event::data).toList());
      }
      awaitIdle(c, 3);
      // 8 events 400 ms apart outlast the 2 s request timeout: each gap is within the chunk timeout
      try (StreamClient s = new StreamClient(c.controllerPort(), "/stream?n=8&ms=400").head().readToEnd()) {
        assertEquals(200, s.status);
        assertTrue(s.cleanEnd);
        assertEquals(8, s.events.size(), s.events.toString());
      }
    }
  }

  /** Waits until the model's writers have all stopped, {@code stopped} of them early. */
  private static void awaitIdle(LocalCluster c, int stopped) {
    Poll.until(Duration.ofSeconds(15), "the model's writer stopped", () -> {
      JsonObject stats = new JsonObject(c.get("/stream/stats").body());
      return stats.getLong("active") == 0 && stats.getLong("stopped") == stopped;
    });
  }

  private static int inFlight(LocalCluster c, LocalCluster.Node worker) {
    JsonObject w = c.workerStatus(worker);
    return w == null ? 0 : w.getInteger("inFlight");
  }
}
