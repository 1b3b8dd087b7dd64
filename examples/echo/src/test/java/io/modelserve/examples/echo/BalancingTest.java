package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the controller spreads work: equal workers share it, a fast and a slow worker are both
 * kept busy, and two services live side by side. The shares are behaviour, not speed: they
 * follow from routing to free workers only, whatever the machine's pace.
 */
class BalancingTest {

  static LocalCluster cluster;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder(Main.class.getName()).start();
    cluster.startWorker("sim", "cpu:10");
    cluster.startWorker("sim", "cpu:40");
    cluster.startWorker("echo");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void fastAndSlowWorkersAreBothKeptBusyInProportionToTheirSpeed() {
    try (Load load = Load.start(cluster, "/sim", 400, 6).await(Duration.ofSeconds(120))) {
      assertEquals(400, load.count(200), load.toString());
      List<Long> shares = load.workers.values().stream().map(LongAdder::sum).sorted().toList();
      assertEquals(2, shares.size(), load.toString());
      // ideal: the 10 ms worker takes 4/5 and the 40 ms one 1/5; round robin would give 1/2 each
      double slowShare = shares.get(0) / 400.0;
      assertTrue(slowShare > 0.08 && slowShare < 0.35, "slow worker's share " + slowShare + " in " + load);
    }
  }

  @Test
  void twoServicesInOneClusterAnswerIndependently() {
    try (Load sim = Load.start(cluster, "/sim", 60, 2); Load echo = Load.start(cluster, "/echo?x=1", 60, 2)) {
      sim.await(Duration.ofSeconds(60));
      echo.await(Duration.ofSeconds(60));
      assertEquals(60, sim.count(200), sim.toString());
      assertEquals(60, echo.count(200), echo.toString());
      assertTrue(Http.json(cluster.get("/sim")).containsKey("ms"));
      assertTrue(Http.json(cluster.get("/echo")).containsKey("query"));
    }
  }
}
