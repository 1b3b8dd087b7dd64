package io.modelserve.bench;

import io.modelserve.bench.BenchCluster.WorkerStatus;
import io.modelserve.tools.LoadResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 3: fast and slow workers of one service at saturation. Ideal throughput is the sum
 * of the workers' rates (one 10 ms + one 40 ms: 100 + 25 = 125/s; three fast + one slow: 325/s),
 * reached only if no request waits behind the slow worker while a fast one is free. Shares
 * come from the controller's served counts per worker, read before and after the measured run.
 */
final class BalancingScenario implements Scenario {

  static final double MIN_OF_IDEAL = 0.9;
  private static final int FAST_MS = 10;
  private static final int SLOW_MS = 40;

  @Override
  public String title() {
    return "3. Balancing";
  }

  @Override
  public long limitSeconds(Settings s) {
    return s.quick() ? 60 : 150;
  }

  @Override
  public void run(Run run) {
    BenchCluster cluster = run.track(BenchCluster.start(Example.ECHO, JvmProfile.FULL));
    cluster.startWorker("sim", "cpu:" + FAST_MS, JvmProfile.SMALL);
    cluster.startWorker("sim", "cpu:" + SLOW_MS, JvmProfile.SMALL);
    measure(run, cluster, "1 fast + 1 slow");
    cluster.startWorkers("sim", "cpu:" + FAST_MS, 2, JvmProfile.SMALL);
    measure(run, cluster, "3 fast + 1 slow");
  }

  private void measure(Run run, BenchCluster cluster, String mix) {
    List<WorkerStatus> before0 = cluster.workersOf("sim");
    double ideal = before0.stream().mapToDouble(w -> 1000.0 / millis(w.device())).sum();
    int c = 2 * before0.size() + 2;
    Load load = Load.get(cluster.url("/sim"));
    load.count(c, (long) ideal * 2);
    Map<Long, Long> before = served(cluster.workersOf("sim"));
    LoadResult r = Load.checked(load.closed(c, run.settings.balancingSeconds(), 0), mix);
    List<WorkerStatus> after = cluster.workersOf("sim");
    long total = after.stream().mapToLong(w -> w.served() - before.getOrDefault(w.pid(), 0L)).sum();
    double ratio = r.rps() / ideal;
    run.row(mix + ": QPS / ideal", Fmt.num(r.rps(), 1) + " QPS", Fmt.num(ideal, 0) + " QPS (ideal)",
        Fmt.ratio(ratio), "≥ " + MIN_OF_IDEAL, ratio >= MIN_OF_IDEAL);
    StringBuilder line = new StringBuilder(mix + ", " + c + " clients: " + Fmt.num(r.rps(), 1) + " QPS, p99 "
        + Fmt.ms(r.p99Ms()) + "; shares (observed vs ideal):");
    for (WorkerStatus w : after) {
      double observed = (w.served() - before.getOrDefault(w.pid(), 0L)) / (double) total;
      double share = (1000.0 / millis(w.device())) / ideal;
      String name = w.device() + " (pid " + w.pid() + ")";
      line.append(' ').append(name).append(' ').append(Fmt.pct(observed)).append(" vs ").append(Fmt.pct(share)).append(';');
      run.results.shares.add(new Results.Share(mix, w.device() + " #" + w.pid(), observed, share));
    }
    run.note(line.toString());
    run.command(load.closedCommand(c, run.settings.balancingSeconds(), 0) + "   # " + mix
        + " (cpu:" + FAST_MS + " and cpu:" + SLOW_MS + " sim workers)");
    run.log(mix + ": " + Fmt.num(r.rps(), 1) + " QPS of " + Fmt.num(ideal, 0));
  }

  private static Map<Long, Long> served(List<WorkerStatus> ws) {
    Map<Long, Long> m = new HashMap<>();
    ws.forEach(w -> m.put(w.pid(), w.served()));
    return m;
  }

  private static int millis(String device) {
    return Integer.parseInt(device.substring(device.indexOf(':') + 1));
  }
}
