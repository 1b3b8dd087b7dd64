package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An inference that ignores the interrupt at its time limit (ONNX Runtime does) keeps the
 * device busy after its 504: the worker counts it as held, the controller takes the worker out
 * of routing until the device is free, and no request waits behind it.
 */
class WedgedDeviceTest {

  @Test
  void aWorkerWedgedPastItsTimeLimitGetsNoWorkUntilItsDeviceIsFreeAgain() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).controllerArgs("--timeout-ms", "1500").start()) {
      LocalCluster.Node wedged = c.startWorker("echo", "cpu", "--concurrency", "1");
      // wedged long enough to outlast the next worker's start and the load, on a loaded machine too
      HttpResponse<String> overrun = c.get("/echo?spin=15000");
      assertEquals(504, overrun.statusCode(), overrun.body());
      Poll.until(Duration.ofSeconds(10), "the controller shows the worker stuck",
          () -> "stuck".equals(c.workerStatus(wedged).getString("state")));
      assertEquals(1, c.workerStatus(wedged).getInteger("heldElsewhere"), "the overrunning inference still holds the device");

      LocalCluster.Node healthy = c.startWorker("echo", "cpu", "--concurrency", "1");
      String healthyId = c.workerStatus(healthy).getString("id");
      // three clients for one free device: with the wedged worker still routed, one request at a
      // time would wait ahead on it and answer 504
      try (Load load = Load.start(c, "/echo?sleep=20", 30, 3).await(Duration.ofSeconds(60))) {
        assertEquals(30, load.count(200), load.toString());
        assertEquals(java.util.Set.of(healthyId), load.workers.keySet(), load.toString());
      }

      Poll.until(Duration.ofSeconds(60), "the wedged worker recovers once its inference ends",
          () -> "serving".equals(c.workerStatus(wedged).getString("state")) && c.workerStatus(wedged).getInteger("heldElsewhere") == 0);
      String wedgedId = c.workerStatus(wedged).getString("id");
      Poll.until(Duration.ofSeconds(10), "the recovered worker answers again",
          () -> wedgedId.equals(c.get("/echo?sleep=20").headers().firstValue("x-model-serve-worker").orElse(null)));
    }
  }
}
