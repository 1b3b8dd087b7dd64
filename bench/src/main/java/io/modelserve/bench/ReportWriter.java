package io.modelserve.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes results.md: the machine, the summary table, what missed, details, plots and commands. */
final class ReportWriter {

  private ReportWriter() {}

  static void write(Path file, Results r, Settings s, List<String> only, String date, double wallSeconds,
      String loadBefore, String loadAfter, int cores, List<String> plots) throws IOException {
    String command = "bench/run.sh" + (s.quick() ? " --quick" : "") + (only.isEmpty() ? "" : " --only " + String.join(",", only));
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark results, ").append(date).append(s.quick() ? " (quick mode: not for reporting)" : "")
        .append(only.isEmpty() ? "" : ", scenarios " + String.join(", ", only) + " only").append("\n\n");
    md.append("Produced by `").append(command).append("` in ")
        .append(Fmt.num(wallSeconds / 60, 1)).append(" minutes. Every figure is set against a baseline measured")
        .append(" in the same run on the same machine; the machine is shared, so read ratios, not absolute values.\n\n");
    md.append("## Machine\n\n");
    md.append("- ").append(cores).append(" cores (").append(ProcStats.cpuModel())
        .append("), ").append(Fmt.num(ProcStats.meminfoMiB("MemTotal") / 1024, 1)).append(" GiB memory, swap ")
        .append(ProcStats.meminfoMiB("SwapTotal") <= 0 ? "none" : Fmt.mib(ProcStats.meminfoMiB("SwapTotal"))).append('\n');
    md.append("- ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version")).append('\n');
    md.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append(" (").append(System.getProperty("java.vm.vendor")).append(")\n");
    md.append("- load average (1, 5, 15 min) at start: ").append(loadBefore).append("; at end: ").append(loadAfter).append("\n\n");

    md.append("## Summary\n\n");
    md.append("| scenario | figure | ours | baseline | ratio / difference | target | met |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (Results.Row row : r.rows()) {
      md.append("| ").append(row.scenario()).append(" | ").append(row.figure()).append(" | ").append(row.ours())
          .append(" | ").append(row.baseline()).append(" | ").append(row.ratio()).append(" | ").append(row.target())
          .append(" | ").append(row.met() == null ? "" : row.met() ? "yes" : "**NO**").append(" |\n");
    }
    md.append('\n');

    md.append("## Targets missed\n\n");
    if (r.missed().isEmpty() && r.problems().isEmpty()) {
      md.append("None: every figure with a target met it.\n\n");
    } else {
      for (Results.Row row : r.missed()) {
        md.append("- **Missed** ").append(row.scenario()).append(", ").append(row.figure()).append(": ")
            .append(row.ratio()).append(" where the target is ").append(row.target()).append(".\n");
      }
      for (String p : r.problems()) {
        md.append("- **Not measured** ").append(p).append('\n');
      }
      md.append('\n');
    }

    md.append("## Details\n\n");
    for (Map.Entry<String, List<String>> e : r.notes().entrySet()) {
      md.append("### ").append(e.getKey()).append("\n\n");
      e.getValue().forEach(line -> md.append("- ").append(line).append('\n'));
      md.append('\n');
    }
    if (!plots.isEmpty()) {
      md.append("## Plots\n\n");
      plots.forEach(p -> md.append("![").append(p).append("](").append(p).append(")\n\n"));
    }

    md.append("## JVM flags\n\n");
    md.append("Nodes start through `LocalCluster` (modelserve test-jar) with its defaults, then the profile's overrides");
    md.append(" (HotSpot keeps the last value of a repeated flag):\n\n");
    for (JvmProfile p : JvmProfile.values()) {
      md.append("- ").append(p.name()).append(": `").append(String.join(" ", p.effectiveFlags())).append("`\n");
    }
    md.append("\nFULL: controllers, echo and stream workers, the bare servers. OCR: OCR worker and the in-process OCR baseline. ");
    md.append("EMBEDDING: embedding workers and the in-process encoder loop. ");
    md.append("SMALL: simulated-model workers (they sleep; C1 is enough). The load generator runs in the suite's own JVM;");
    md.append(" wrk, where used, as a process of its own.\n\n");

    md.append("## Commands\n\n");
    md.append("The suite: `").append(command).append("`. The load runs it made,");
    md.append(" as the equivalent `io.modelserve.tools.LoadTester` command lines (ports vary per run):\n\n```\n");
    r.commands().forEach(c -> md.append(c).append('\n'));
    md.append("```\n");
    Files.createDirectories(file.getParent());
    Files.writeString(file, md.toString());
  }
}
