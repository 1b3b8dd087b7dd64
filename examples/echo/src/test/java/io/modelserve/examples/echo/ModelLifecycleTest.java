package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A model's settings come from {@code --set}; its {@code close()} runs after the drain, or after a failed start. */
class ModelLifecycleTest {

  @Test
  void settingsReachInitAndCloseRunsOnceTheWorkerHasDrained() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      LocalCluster.Node worker = c.startWorker("sim", "cpu", "--set", "ms=7");
      var answer = Http.json(c.get("/sim"));
      assertEquals(7, answer.getInteger("ms"), answer.encode());
      worker.terminate();
      assertTrue(worker.awaitExit(Duration.ofSeconds(30)), "the worker left");
      String log = worker.logText();
      int drained = log.indexOf("drained");
      int closed = log.indexOf("sim closed on device cpu after 1 inferences");
      assertTrue(drained >= 0 && closed > drained, "close() after the drain:\n" + log);
      assertEquals(closed, log.lastIndexOf("sim closed"), "close() once:\n" + log);
    }
  }

  @Test
  void aSettingInitRefusesStopsTheWorkerAndStillClosesTheModel() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      LocalCluster.Node worker = c.launch("bad-setting", List.of("--worker", "--name", "sim", "--port", "0",
          "--controller-addr", "http://127.0.0.1:" + c.controllerPort(), "--cluster-config", c.clusterConfig().toString(),
          "--set", "ms=soon"));
      assertTrue(worker.awaitExit(Duration.ofSeconds(60)), "the worker gave up");
      assertNotEquals(0, worker.process().exitValue());
      String log = worker.logText();
      assertTrue(log.contains("setting 'ms' must be an integer, not 'soon'"), log);
      assertTrue(log.contains("sim closed on device cpu after 0 inferences"), log);
    }
  }

  @Test
  void aSettingWithoutAKeyIsRefusedOnTheCommandLine() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      LocalCluster.Node worker = c.launch("no-key", List.of("--worker", "--name", "sim", "--set", "=3"));
      assertTrue(worker.awaitExit(Duration.ofSeconds(30)), "the command line was refused");
      assertEquals(2, worker.process().exitValue());
      assertTrue(worker.logText().contains("--set needs KEY=VALUE"), worker.logText());
    }
  }
}
