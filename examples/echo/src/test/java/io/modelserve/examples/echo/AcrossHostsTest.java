package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.HostCluster;
import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import io.modelserve.testing.TestHosts;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults across machines, on test hosts (network namespaces): the controller on host 1, one
 * {@code sim} worker (50 ms per request) on each of hosts 2 and 3, every node started with only
 * the original flags. Each scenario runs under load and counts every response.
 */
class AcrossHostsTest {

  @BeforeAll
  static void needsTestHosts() {
    TestHosts.assumeAvailable(AcrossHostsTest.class);
  }

  private static HostCluster threeHosts() {
    HostCluster c = HostCluster.create(Main.class.getName(), 3);
    try {
      c.startController(c.host(1));
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private static double seconds(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e9;
  }

  @Test
  void aControllerKilledAndRestartedServesItsWorkersAgainWithinTenSecondsAndSurvivesLosingTheMaster() {
    try (HostCluster c = threeHosts()) {
      LocalCluster.Node w1 = c.startWorker(c.host(2), "sim", "cpu");
      LocalCluster.Node w2 = c.startWorker(c.host(3), "sim", "cpu");
      try (Load load = Load.start(c, "/sim", Integer.MAX_VALUE, 4)) {
        Poll.until(Duration.ofSeconds(30), "both workers answered", () -> load.workers.size() == 2);
        assertEquals(2, c.workers().size(), "both workers listed before the restart");
        c.controller().kill();
        long restarted = System.nanoTime();
        c.startController(c.host(1));
        java.util.Set<Integer> meanwhile = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Poll.until(Duration.ofSeconds(30), "a request answered 200 by the new controller", () -> {
          int status = c.get("/sim").statusCode();
          meanwhile.add(status);
          return status == 200;
        });
        long answered = System.nanoTime();
        Poll.until(Duration.ofSeconds(30), "both workers listed", () -> c.worker(w1.pid()) != null && c.worker(w2.pid()) != null);
        long listed = System.nanoTime();
        System.out.printf("controller restart across hosts: first 200 after %.2f s, both workers listed after %.2f s%n",
            seconds(restarted, answered), seconds(restarted, listed));
        assertTrue(seconds(restarted, answered) <= 10, "first 200 after " + seconds(restarted, answered) + " s");
        assertTrue(seconds(restarted, listed) <= 10, "workers listed after " + seconds(restarted, listed) + " s");
        assertTrue(w1.process().isAlive() && w2.process().isAlive(), "no worker restarted");
        // until it has its workers, the new controller says "try again" (503), never "no such service"
        assertTrue(!meanwhile.contains(404), "answers while recovering: " + meanwhile);

        // the controller merged into the workers' cluster, so its master (the member that
        // coordinates membership, also holding partitions like every member) is a worker: kill it
        JsonObject cluster = c.status().getJsonObject("cluster");
        assertEquals(3, cluster.getInteger("members"), cluster.encode());
        String master = cluster.getString("master");
        LocalCluster.Node victim = master.startsWith(c.host(2).address() + ":") ? w1
            : master.startsWith(c.host(3).address() + ":") ? w2 : null;
        assertNotNull(victim, "the master " + master + " is a worker after the merge");
        LocalCluster.Node survivor = victim == w1 ? w2 : w1;
        Poll.until(Duration.ofSeconds(30), "the new controller routes to both", () -> load.workers.size() == 2
            && load.from(c.worker(survivor.pid()).getString("id")) > 0);
        long failedBefore = load.notOk();
        victim.kill();
        long killed = System.nanoTime();
        Poll.until(Duration.ofSeconds(10), "the killed master is out of routing", () -> c.worker(victim.pid()) == null);
        System.out.printf("master killed: out of routing after %.2f s%n", seconds(killed, System.nanoTime()));
        String survivorId = c.worker(survivor.pid()).getString("id");
        long before = load.from(survivorId);
        Poll.until(Duration.ofSeconds(10), "the survivor keeps serving", () -> load.from(survivorId) > before + 20);
        // the cluster still takes members: a new worker where the master was
        TestHosts.Host where = victim == w1 ? c.host(2) : c.host(3);
        LocalCluster.Node replacement = c.startWorker(where, "sim", "cpu");
        String replacementId = c.worker(replacement.pid()).getString("id");
        Poll.until(Duration.ofSeconds(30), "the new worker serves", () -> load.from(replacementId) > 0);
        load.stop();
        load.await(Duration.ofSeconds(60));
        assertEquals(failedBefore, load.notOk(), "failures after the master was killed: " + load);
        assertNotEquals(0, load.count(200), load.toString());
      }
    }
  }

  @Test
  void aWorkerCutOffForTenSecondsLeavesRoutingAndComesBackOnceWithoutAFailedRequest() {
    try (HostCluster c = threeHosts()) {
      LocalCluster.Node w1 = c.startWorker(c.host(2), "sim", "cpu");
      c.startWorker(c.host(3), "sim", "cpu");
      faultAndRecover(c, w1, () -> c.hosts().cut(c.host(2)), () -> c.hosts().restore(c.host(2)), "link cut");
    }
  }

  @Test
  void aWorkerCutOffLongerThanHazelcastWaitsIsSplitOffThenMergesBackWithoutAFailedRequest() {
    try (HostCluster c = threeHosts()) {
      LocalCluster.Node w1 = c.startWorker(c.host(2), "sim", "cpu");
      c.startWorker(c.host(3), "sim", "cpu");
      String id = c.worker(w1.pid()).getString("id");
      try (Load load = Load.start(c, "/sim", Integer.MAX_VALUE, 4); Presence presence = new Presence(c, w1.pid())) {
        Poll.until(Duration.ofSeconds(30), "both workers answered", () -> load.workers.size() == 2);
        assertEquals(3, c.status().getJsonObject("cluster").getInteger("members"));
        long cut = System.nanoTime();
        c.hosts().cut(c.host(2));
        Poll.until(Duration.ofSeconds(10), "the worker is out of routing", () -> presence.firstOut(cut) > 0);
        // past max.no.heartbeat.seconds (20) Hazelcast removes the member: the cluster splits
        Poll.until(Duration.ofSeconds(40), "Hazelcast splits the cut-off worker off",
            () -> c.status().getJsonObject("cluster").getInteger("members") == 2);
        long split = System.nanoTime();
        long restored = System.nanoTime();
        c.hosts().restore(c.host(2));
        long servedBefore = load.from(id);
        Poll.until(Duration.ofSeconds(60), "the worker serves again", () -> load.from(id) > servedBefore);
        long servedAgain = System.nanoTime();
        Poll.until(Duration.ofSeconds(60), "the halves merge again",
            () -> c.status().getJsonObject("cluster").getInteger("members") == 3);
        long merged = System.nanoTime();
        Poll.until(Duration.ofSeconds(10), "a few more answers", () -> load.from(id) > servedBefore + 10);
        load.stop();
        load.await(Duration.ofSeconds(60));
        System.out.printf("link cut past the split (%.1f s): out of routing after %.2f s, serving again %.2f s and"
            + " merged %.2f s after the link came back, %d change(s) %s, %s%n", seconds(cut, split),
            seconds(cut, presence.firstOut(cut)), seconds(restored, servedAgain), seconds(restored, merged),
            presence.since(cut).size(), presence, load);
        assertTrue(seconds(restored, servedAgain) <= 30, "serving again after " + seconds(restored, servedAgain) + " s");
        assertEquals(0, load.notOk(), load.toString());
      }
    }
  }

  @Test
  void aWorkerPausedForTenSecondsLeavesRoutingAndComesBackOnceWithoutAFailedRequest() {
    try (HostCluster c = threeHosts()) {
      LocalCluster.Node w1 = c.startWorker(c.host(2), "sim", "cpu");
      c.startWorker(c.host(3), "sim", "cpu");
      faultAndRecover(c, w1, () -> TestHosts.pause(w1.process()), () -> TestHosts.resume(w1.process()), "pause");
    }
  }

  private static void faultAndRecover(HostCluster c, LocalCluster.Node w1, Runnable fault, Runnable repair, String what) {
    String id = c.worker(w1.pid()).getString("id");
    try (Load load = Load.start(c, "/sim", Integer.MAX_VALUE, 4); Presence presence = new Presence(c, w1.pid())) {
      Poll.until(Duration.ofSeconds(30), "both workers answered", () -> load.workers.size() == 2);
      long faulted = System.nanoTime();
      fault.run();
      Poll.until(Duration.ofSeconds(10), "the worker is out of routing", () -> presence.firstOut(faulted) > 0);
      // ten seconds of fault, measured from when it began
      Poll.until(Duration.ofSeconds(20), "ten seconds pass", () -> System.nanoTime() - faulted >= TimeUnit.SECONDS.toNanos(10));
      long repaired = System.nanoTime();
      repair.run();
      long servedBefore = load.from(id);
      Poll.until(Duration.ofSeconds(60), "the worker serves again", () -> load.from(id) > servedBefore);
      long servedAgain = System.nanoTime();
      Poll.until(Duration.ofSeconds(10), "the worker is routed", () -> presence.firstIn(repaired) > 0);
      long extra = System.nanoTime();
      Poll.until(Duration.ofSeconds(10), "a few more answers", () -> load.count(200) > 0 && System.nanoTime() - extra > 0
          && load.from(id) > servedBefore + 10);
      load.stop();
      load.await(Duration.ofSeconds(60));
      double out = seconds(faulted, presence.firstOut(faulted));
      double back = seconds(repaired, servedAgain);
      long flaps = presence.since(faulted).size();
      System.out.printf("%s of 10 s: out of routing after %.2f s, serving again %.2f s after the repair, %d change(s) %s, %s%n",
          what, out, back, flaps, presence, load);
      assertTrue(out <= 2.0, "out of routing after " + out + " s");
      assertTrue(back <= 5.0, "serving again after " + back + " s");
      assertTrue(flaps <= 2, "at most one removal and one addition: " + presence);
      assertEquals(0, load.notOk(), load.toString());
    }
  }
}
