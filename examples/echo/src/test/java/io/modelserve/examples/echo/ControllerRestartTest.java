package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The controller holds nothing a restart loses: workers serve again without a restart. */
class ControllerRestartTest {

  @Test
  void workersServeAgainAfterTheControllerRestartsAndNoNameIs404Meanwhile() {
    // a grace far longer than re-registration takes, so that the first answers fall inside it
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).controllerArgs("--startup-grace-ms", "10000").start()) {
      LocalCluster.Node worker = c.startWorker("echo");
      assertEquals(200, c.get("/echo?before=restart").statusCode());
      c.controller().kill();
      c.startController();
      HttpResponse<String> early = c.get("/echo?early=1");
      assertTrue(early.statusCode() == 200 || early.statusCode() == 503, early.statusCode() + " " + early.body());
      if (early.statusCode() == 503) {
        assertEquals("1", early.headers().firstValue("retry-after").orElse(""), early.headers().toString());
      }
      HttpResponse<String> unknown = c.get("/nosuch");
      assertEquals(503, unknown.statusCode(), unknown.body());
      assertEquals("1", unknown.headers().firstValue("retry-after").orElse(""));
      assertEquals("nosuch", Http.json(unknown).getString("service"));
      Poll.until(Duration.ofSeconds(30), "the worker is routed to again", () -> c.liveWorkers("echo") == 1);
      var r = c.get("/echo?after=restart");
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(worker.process().isAlive(), "the worker was not restarted");
      Poll.until(Duration.ofSeconds(30), "past the grace, a name no worker serves is 404",
          () -> c.get("/nosuch").statusCode() == 404);
    }
  }
}
