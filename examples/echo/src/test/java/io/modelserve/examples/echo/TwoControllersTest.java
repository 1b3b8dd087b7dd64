package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two controllers share four workers. Neither sees the other's queue, only what each worker
 * says it holds (in its replies and heartbeats) and the worker's own bound ("full" beyond its
 * concurrency plus one ahead), and that keeps every device busy without a queue behind it.
 */
class TwoControllersTest {

  @Test
  void twoControllersKeepFourWorkersBusyAndOneSurvivesTheOthersKill() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      java.util.List<LocalCluster.Node> workers = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        workers.add(c.startWorker("sim", "cpu:50"));
      }
      LocalCluster.Node first = c.controller();
      LocalCluster.Node second = c.startAnotherController();
      Poll.until(Duration.ofSeconds(30), "the second controller sees the 4 workers", () -> c.liveWorkers(second, "sim") == 4);
      try (Load one = Load.start(c, first, "/sim", Integer.MAX_VALUE, 8);
           Load two = Load.start(c, second, "/sim", Integer.MAX_VALUE, 8)) {
        Poll.until(Duration.ofSeconds(30), "both controllers answer", () -> one.count(200) > 20 && two.count(200) > 20);
        double qps = Load.qpsOver(Duration.ofSeconds(8), one, two);
        double efficiency = qps / (4 * 20);
        System.out.printf("two controllers, 16 clients, 4 sim workers of 50 ms: %.1f QPS, efficiency %.3f%n", qps, efficiency);
        assertTrue(efficiency >= 0.95, "efficiency " + efficiency + " (" + qps + " QPS); " + one + "; " + two);
        assertEquals(0, one.notOk(), one.toString());
        assertEquals(0, two.notOk(), two.toString());
        for (LocalCluster.Node w : workers) {
          int maxHeld = Http.json(c.getFromWorker(w, "/_/health")).getInteger("maxHeld");
          assertTrue(maxHeld <= 2, "the two controllers together gave a worker " + maxHeld + " requests at once");
        }

        ControllerKill.killOneUnderLoad(two, second::kill, one);
      }
    }
  }
}
