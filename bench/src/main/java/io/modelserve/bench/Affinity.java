package io.modelserve.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * CPU pinning with util-linux's {@code taskset}, so that a load generator and the server it
 * measures do not take CPU from each other. On 2 cores, unpinned, a cheaper client leaves the
 * server more CPU and so "measures" a faster server: comparing two load generators then
 * compares their own costs, not what they measure.
 */
final class Affinity {

  /** Read once, before anything is pinned: the JVM counts only the CPUs it may run on. */
  private static final int CPUS = Runtime.getRuntime().availableProcessors();

  private Affinity() {}

  static boolean available() {
    return CPUS >= 2 && run("taskset", "-V");
  }

  /** Pins every thread of {@code pid} to the given CPUs (e.g. "1" or "0,1"). */
  static void pin(long pid, String cpus) {
    if (!run("taskset", "-a", "-p", "-c", cpus, "" + pid)) {
      throw new IllegalStateException("taskset could not pin pid " + pid + " to CPUs " + cpus);
    }
  }

  /** Every CPU of the machine, to undo a pin. */
  static String allCpus() {
    return "0-" + (CPUS - 1);
  }

  private static boolean run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
