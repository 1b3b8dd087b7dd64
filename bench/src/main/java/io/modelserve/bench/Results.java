package io.modelserve.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the scenarios measured, in the order they measured it: the summary rows, free
 * text per scenario, the commands behind the figures, and the series the plots draw.
 * Scenarios run one at a time, but a timed-out one may still write, hence the locking.
 */
final class Results {

  /**
   * One line of the summary table. {@code met} is null for a figure without a target.
   * Values are already formatted, since each figure has its own unit.
   */
  record Row(String scenario, String figure, String ours, String baseline, String ratio,
      String target, Boolean met) {}

  record ScalingPoint(int workers, double qps, double ideal, double p99Ms) {}

  record Share(String mix, String worker, double observed, double ideal) {}

  record LatencyBar(String load, String side, double p50Ms, double p99Ms) {}

  private final List<Row> rows = new ArrayList<>();
  private final Map<String, List<String>> notes = new LinkedHashMap<>();
  private final Set<String> commands = new LinkedHashSet<>();
  private final List<String> problems = new ArrayList<>();
  final List<ScalingPoint> scaling = new ArrayList<>();
  final List<Share> shares = new ArrayList<>();
  final List<LatencyBar> latency = new ArrayList<>();

  synchronized void row(String scenario, String figure, String ours, String baseline,
      String ratio, String target, Boolean met) {
    rows.add(new Row(scenario, figure, ours, baseline, ratio, target, met));
  }

  /** A line of free text under the scenario's own heading (Markdown). */
  synchronized void note(String scenario, String line) {
    notes.computeIfAbsent(scenario, s -> new ArrayList<>()).add(line);
  }

  synchronized void command(String command) {
    commands.add(command);
  }

  /** A scenario that failed, timed out or was skipped, said plainly in the report. */
  synchronized void problem(String scenario, String what) {
    problems.add(scenario + ": " + what);
    note(scenario, "**" + what + "**");
  }

  synchronized List<Row> rows() {
    return List.copyOf(rows);
  }

  synchronized Map<String, List<String>> notes() {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    notes.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return copy;
  }

  synchronized List<String> commands() {
    return List.copyOf(commands);
  }

  synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  synchronized List<Row> missed() {
    return rows.stream().filter(r -> Boolean.FALSE.equals(r.met())).toList();
  }
}
