package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code /_/ready} for a load balancer in front of controllers: ready only with a live worker per service. */
class ReadinessThroughClusterTest {

  @Test
  void readyOnceEveryServiceHasALiveWorkerAndNotAfterItsLastOneDies() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      assertEquals(200, c.get("/_/health").statusCode());
      assertEquals(503, c.get("/_/ready").statusCode(), "no worker yet");
      LocalCluster.Node echo = c.startWorker("echo");
      c.startWorker("sim", "cpu:1");
      // 503 until the controller's start-up grace has passed (a worker may not have registered yet)
      Poll.until(Duration.ofSeconds(30), "ready with both services", () -> c.get("/_/ready").statusCode() == 200);
      var ready = c.get("/_/ready");
      assertEquals(200, ready.statusCode(), ready.body());
      assertEquals(1, Http.json(ready).getJsonObject("services").getInteger("echo"));
      assertEquals(200, c.get("/_/ready/echo").statusCode());
      assertEquals(404, c.get("/_/ready/nothing").statusCode());
      echo.kill();
      Poll.until(Duration.ofSeconds(10), "not ready without echo", () -> c.get("/_/ready").statusCode() == 503);
      var notReady = c.get("/_/ready");
      assertEquals("echo", Http.json(notReady).getJsonArray("missing").getString(0), notReady.body());
      assertEquals(503, c.get("/_/ready/echo").statusCode());
      assertEquals(200, c.get("/_/ready/sim").statusCode());
      assertTrue(c.get("/_/health").body().contains("ok"), "the process still serves");
    }
  }
}
