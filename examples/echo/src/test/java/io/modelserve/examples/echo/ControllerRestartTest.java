package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The controller holds nothing a restart loses: workers serve again without a restart. */
class ControllerRestartTest {

  @Test
  void workersServeAgainAfterTheControllerRestarts() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      LocalCluster.Node worker = c.startWorker("echo");
      assertEquals(200, c.get("/echo?before=restart").statusCode());
      c.controller().kill();
      c.startController();
      Poll.until(Duration.ofSeconds(30), "the worker is routed to again", () -> c.liveWorkers("echo") == 1);
      var r = c.get("/echo?after=restart");
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(worker.process().isAlive(), "the worker was not restarted");
    }
  }
}
