package io.modelserve.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What Linux's /proc says about a process and the machine: resident memory, swap, CPU time.
 * Benchmarks read /proc rather than JMX so the numbers are the ones the kernel charges, heap,
 * metaspace, code cache, thread stacks and native libraries alike.
 */
final class ProcStats {

  /** USER_HZ: /proc/<pid>/stat counts CPU time in these ticks; 100 on every Linux in use. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcStats() {}

  /** VmRSS in MiB, or -1 when the process is gone. */
  static double rssMiB(long pid) {
    return statusKiB(pid, "VmRSS:") / 1024.0;
  }

  /** VmSwap in MiB, or -1 when the process is gone. */
  static double swapMiB(long pid) {
    return statusKiB(pid, "VmSwap:") / 1024.0;
  }

  private static long statusKiB(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", "" + pid, "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
        }
      }
      return 0;
    } catch (IOException | NumberFormatException e) {
      return -1024;
    }
  }

  /** User plus system CPU seconds the process has used so far, or -1 when it is gone. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", "" + pid, "stat"));
      // the command name (field 2) may hold spaces; the fields after its ')' are fixed
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** {user, system} CPU seconds the process has used so far, or null when it is gone. */
  static double[] cpuSplit(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", "" + pid, "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new double[] {Long.parseLong(f[11]) / TICKS_PER_SECOND, Long.parseLong(f[12]) / TICKS_PER_SECOND};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Context switches of all the process's threads so far (voluntary plus involuntary, from each
   * {@code /proc/<pid>/task/<tid>/status}; threads that ended are not counted), or -1.
   */
  static long contextSwitches(long pid) {
    long sum = 0;
    try (var tasks = Files.list(Path.of("/proc", "" + pid, "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
              sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
        } catch (IOException e) {
          // the thread ended meanwhile
        }
      }
      return sum;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** A field of /proc/meminfo in MiB (e.g. "MemTotal", "SwapTotal"), or -1. */
  static double meminfoMiB(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim()) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through
    }
    return -1;
  }

  /** The 1-minute load average, to show how busy the shared machine was. */
  static String loadAverage() {
    try {
      List<String> parts = List.of(Files.readString(Path.of("/proc/loadavg")).trim().split(" "));
      return String.join(" ", parts.subList(0, 3));
    } catch (IOException e) {
      return "?";
    }
  }

  /** The CPU model name, for the report's machine line. */
  static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }
}
