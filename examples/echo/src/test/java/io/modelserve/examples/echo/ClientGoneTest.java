package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A client that closes its connection before the answer: its request, if still queued, never
 * runs; if running, the model sees {@code request.cancelled()} and may stop early.
 */
class ClientGoneTest {

  @Test
  void aQueuedRequestWhoseClientLeftNeverRunsAndARunningOneIsToldSo() throws Exception {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      LocalCluster.Node worker = c.startWorker("echo", "cpu", "--concurrency", "1");
      try (Socket running = openThenAwait(c, worker, "/echo?wait=60000", 1);
           Socket ahead = openThenAwait(c, worker, "/echo?wait=200", 2);
           Socket queued = open(c, "/echo?wait=60000&n=queued")) {
        Poll.until(Duration.ofSeconds(10), "the third request waits in the controller's queue",
            () -> sim(c).getInteger("queued") == 1);
        queued.close();
        Poll.until(Duration.ofSeconds(10), "the controller drops it", () -> sim(c).getInteger("queued") == 0);
        running.close();
        // the running inference stops early, so the one waiting ahead runs and answers
        ahead.setSoTimeout(20_000);
        String answer = readAll(ahead.getInputStream());
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      }
      JsonObject after = Http.json(c.get("/echo"));
      assertEquals(3, after.getLong("inferences"), "the two first requests and this one; the queued one never ran: " + after);
      assertEquals(1, after.getLong("cancelled"), "the running one saw its client leave: " + after);
      assertEquals(2, sim(c).getInteger("abandoned"));
    }
  }

  private static JsonObject sim(LocalCluster c) {
    return new JsonObject(c.get("/_/status").body()).getJsonObject("services").getJsonObject("echo");
  }

  private static Socket open(LocalCluster c, String pathAndQuery) throws IOException {
    Socket s = new Socket("127.0.0.1", c.controllerPort());
    s.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  /** Sends a request, then waits until the controller counts {@code n} requests on the worker. */
  private static Socket openThenAwait(LocalCluster c, LocalCluster.Node worker, String pathAndQuery, int n) throws IOException {
    Socket s = open(c, pathAndQuery);
    Poll.until(Duration.ofSeconds(10), n + " request(s) on the worker", () -> c.workerStatus(worker).getInteger("inFlight") == n);
    return s;
  }

  private static String readAll(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
