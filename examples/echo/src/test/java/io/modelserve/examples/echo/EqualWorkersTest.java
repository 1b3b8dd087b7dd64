package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Two equal workers of one service both serve, about half each. */
class EqualWorkersTest {

  @Test
  void twoWorkersOfOneServiceShareTheLoad() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      c.startWorker("sim", "cpu:20");
      c.startWorker("sim", "cpu:20");
      try (Load load = Load.start(c, "/sim", 200, 4).await(Duration.ofSeconds(60))) {
        assertEquals(200, load.count(200), load.toString());
        assertEquals(2, load.workers.size(), load.toString());
        for (LongAdder served : load.workers.values()) {
          assertTrue(served.sum() >= 60, "each worker took a fair part: " + load);
        }
      }
    }
  }
}
