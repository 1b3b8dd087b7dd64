package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.HostCluster;
import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import io.modelserve.testing.TestHosts;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two controllers on two test hosts, four {@code sim} workers (50 ms) on two others, each
 * worker given both controllers' addresses. The controllers start as two clusters of one (each
 * file lists only the other's loopback); the workers' links bring them into one.
 */
class TwoControllersAcrossHostsTest {

  @BeforeAll
  static void needsTestHosts() {
    TestHosts.assumeAvailable(TwoControllersAcrossHostsTest.class);
  }

  @Test
  void twoControllersOnTwoHostsShareFourWorkersAndOneSurvivesTheOthersKill() {
    try (HostCluster c = HostCluster.create(Main.class.getName(), 4)) {
      TestHosts.Host a = c.host(1);
      TestHosts.Host b = c.host(2);
      LocalCluster.Node controllerA = c.startController(a);
      c.startController(b);
      List<LocalCluster.Node> workers = new ArrayList<>();
      List<Integer> healthPorts = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        TestHosts.Host h = c.host(3 + i % 2);
        int port = HostCluster.WORKER_PORT + i / 2;
        workers.add(c.startWorker(h, port, "sim", "cpu", List.of(a, b)));
        // a worker's own port listens on its --worker-addr host only
        healthPorts.add(c.hosts().expose(h, h.address(), port));
      }
      Poll.until(Duration.ofSeconds(60), "both controllers list the 4 workers",
          () -> c.workers(a).size() == 4 && c.workers(b).size() == 4);
      try (Load one = Load.start(c, a, "/sim", Integer.MAX_VALUE, 8);
           Load two = Load.start(c, b, "/sim", Integer.MAX_VALUE, 8)) {
        Poll.until(Duration.ofSeconds(30), "both controllers answer", () -> one.count(200) > 20 && two.count(200) > 20);
        double qps = Load.qpsOver(Duration.ofSeconds(8), one, two);
        double efficiency = qps / (4 * 20);
        System.out.printf("two controllers on two hosts, 16 clients, 4 sim workers of 50 ms: %.1f QPS, efficiency %.3f%n",
            qps, efficiency);
        assertTrue(efficiency >= 0.95, "efficiency " + efficiency + " (" + qps + " QPS); " + one + "; " + two);
        assertEquals(0, one.notOk(), one.toString());
        assertEquals(0, two.notOk(), two.toString());
        for (int port : healthPorts) {
          JsonObject health = new JsonObject(c.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + "/_/health")).timeout(Duration.ofSeconds(5)).build()).body());
          assertTrue(health.getInteger("maxHeld") <= 2, "the two controllers together gave a worker "
              + health.getInteger("maxHeld") + " requests at once");
        }

        ControllerKill.killOneUnderLoad(one, controllerA::kill, two);
      }
    }
  }
}
