package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Connections that hold a file descriptor for nothing are closed; one awaiting its answer is not. */
class ConnectionTimeoutsTest {

  /** Far longer than either timeout: a connection still open then was never going to close. */
  static final int WAIT_MS = 20_000;

  static LocalCluster cluster;
  static LocalCluster.Node echo;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder(Main.class.getName())
        .controllerArgs("--header-timeout-ms", "1000", "--idle-timeout-ms", "1500").start();
    echo = cluster.startWorker("echo", "cpu", "--header-timeout-ms", "1000", "--idle-timeout-ms", "1500");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void connectionsThatSendNothingOrHalfARequestAreClosed() {
    List<RawHttp> connections = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        RawHttp c = new RawHttp(cluster.controllerPort());
        if (i % 2 == 1) {
          c.send("GET /echo HTTP/1.1\r\nHost: loc");
        }
        connections.add(c);
      }
      connections.add(new RawHttp(echo.httpPort()));
      for (RawHttp c : connections) {
        assertTrue(c.closedByServer(WAIT_MS), "closed by the server");
      }
    } finally {
      connections.forEach(RawHttp::close);
    }
  }

  @Test
  void aKeptAliveConnectionIsClosedOnceIdle() {
    try (RawHttp c = new RawHttp(cluster.controllerPort())) {
      assertEquals(200, c.send("GET /_/health HTTP/1.1\r\nHost: localhost\r\n\r\n").read().status());
      assertEquals(200, c.send("GET /_/health HTTP/1.1\r\nHost: localhost\r\n\r\n").read().status());
      assertTrue(c.closedByServer(WAIT_MS), "closed by the server");
    }
  }

  @Test
  void aConnectionWaitingForItsAnswerLongerThanTheTimeoutsIsNotClosed() {
    try (RawHttp c = new RawHttp(cluster.controllerPort())) {
      RawHttp.Response r = c.send("GET /echo?sleep=4000 HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
      assertEquals(200, r.status(), r.body());
      // and it serves the next request, even on a connection first idle past the header timeout
      assertEquals(200, c.send("GET /_/health HTTP/1.1\r\nHost: localhost\r\n\r\n").read().status());
    }
    try (RawHttp c = new RawHttp(echo.httpPort())) {
      RawHttp.Response r = c.send("GET /echo?sleep=4000 HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
      assertEquals(200, r.status(), r.body());
      assertFalse(r.body().isEmpty());
    }
  }

  @Test
  void aBodyThatStopsArrivingIs408AndTheConnectionCloses() {
    for (int port : new int[] {cluster.controllerPort(), echo.httpPort()}) {
      RawHttp.refusedThenClosed(port, "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
          + "Content-Length: 100\r\n\r\nonly ten b", 408, "--idle-timeout-ms", WAIT_MS);
    }
  }
}
