package io.modelserve.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Samples named processes while a load runs: CPU seconds used over the run and the largest
 * resident set seen. On a 2-core machine throughput is bounded by CPU, so CPU time per request
 * in each process shows where the time goes without a profiler.
 */
final class ProcessMeter implements AutoCloseable {

  private final Map<String, Long> pids;
  private final Map<String, Double> cpuStart = new LinkedHashMap<>();
  private final Map<String, Double> cpuUsed = new LinkedHashMap<>();
  private final Map<String, Double> maxRss = new LinkedHashMap<>();
  private final Thread sampler;
  private volatile boolean running = true;

  private ProcessMeter(Map<String, Long> pids) {
    this.pids = new LinkedHashMap<>(pids);
    pids.forEach((name, pid) -> {
      cpuStart.put(name, ProcStats.cpuSeconds(pid));
      maxRss.put(name, ProcStats.rssMiB(pid));
    });
    sampler = new Thread(this::sample, "rss-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  static ProcessMeter start(Map<String, Long> pids) {
    return new ProcessMeter(pids);
  }

  private void sample() {
    while (running) {
      synchronized (maxRss) {
        pids.forEach((name, pid) -> maxRss.merge(name, ProcStats.rssMiB(pid), Math::max));
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Stops sampling and fixes the CPU figures. */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    sampler.interrupt();
    pids.forEach((name, pid) -> cpuUsed.put(name, ProcStats.cpuSeconds(pid) - cpuStart.get(name)));
  }

  /** CPU seconds each process used between start and close. */
  Map<String, Double> cpuSeconds() {
    return Map.copyOf(cpuUsed);
  }

  double cpuSeconds(String name) {
    return cpuUsed.getOrDefault(name, Double.NaN);
  }

  /** The largest VmRSS seen, in MiB. */
  double maxRssMiB(String name) {
    synchronized (maxRss) {
      return maxRss.getOrDefault(name, Double.NaN);
    }
  }
}
