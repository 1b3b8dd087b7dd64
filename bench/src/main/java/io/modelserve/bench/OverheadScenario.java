package io.modelserve.bench;

import io.modelserve.tools.LoadResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 1: what the controller, the event bus and the worker add to a request that does
 * nothing. Both servers stay up and the rounds alternate between them, so drift in the shared
 * machine's load hits both sides alike; each figure is the median over rounds. The throughput
 * headline is wrk's on both sides; the project's LoadTester gives the rows beside it, and the
 * CPU per request of every process, load generator included.
 */
final class OverheadScenario implements Scenario {

  /** Of the bare server's rate, both measured with wrk (issue 10's target). */
  static final double MIN_RPS_RATIO = 0.35;
  static final double MAX_ADDED_P50_US = 100;

  @Override
  public String title() {
    return "1. Overhead";
  }

  @Override
  public long limitSeconds(Settings s) {
    return s.quick() ? 90 : 280;
  }

  @Override
  public void run(Run run) {
    Settings s = run.settings;
    EchoSetup setup = run.track(EchoSetup.start(run));
    Load ours = Load.get(setup.oursUrl);
    Load bare = Load.get(setup.bareUrl);
    int c = s.overheadConcurrency();
    run.log("warming up both servers");
    ours.closed(c, s.warmupSeconds(), 0);
    bare.closed(c, s.warmupSeconds(), 0);

    List<LoadResult> oursRuns = new ArrayList<>();
    List<LoadResult> bareRuns = new ArrayList<>();
    Map<String, Double> oursCpu = new LinkedHashMap<>();
    Map<String, Double> bareCpu = new LinkedHashMap<>();
    for (int round = 0; round < s.overheadRounds(); round++) {
      try (ProcessMeter m = ProcessMeter.start(setup.barePids())) {
        bareRuns.add(Load.checked(bare.closed(c, s.overheadSeconds(), 0), "bare"));
        m.close();
        m.cpuSeconds().forEach((k, v) -> bareCpu.merge(k, v, Double::sum));
      }
      try (ProcessMeter m = ProcessMeter.start(setup.oursPids())) {
        oursRuns.add(Load.checked(ours.closed(c, s.overheadSeconds(), 0), "ours"));
        m.close();
        m.cpuSeconds().forEach((k, v) -> oursCpu.merge(k, v, Double::sum));
      }
      run.log("round " + (round + 1) + ": ours " + Fmt.rps(oursRuns.get(round).rps())
          + ", bare " + Fmt.rps(bareRuns.get(round).rps()));
    }
    run.command(ours.closedCommand(c, s.overheadSeconds(), 0) + "   # x" + s.overheadRounds()
        + ", alternating with the same against the bare server");

    // the headline: wrk on both sides, a C client whose own cost is a fraction of either server's
    withWrk(run, setup, c);
    double oRps = Stats.median(oursRuns, LoadResult::rps);
    double bRps = Stats.median(bareRuns, LoadResult::rps);
    double oP50 = Stats.median(oursRuns, LoadResult::p50Ms);
    double bP50 = Stats.median(bareRuns, LoadResult::p50Ms);
    double oP99 = Stats.median(oursRuns, LoadResult::p99Ms);
    double bP99 = Stats.median(bareRuns, LoadResult::p99Ms);
    run.row("throughput, " + c + " connections (LoadTester)", Fmt.rps(oRps), Fmt.rps(bRps), Fmt.ratio(oRps / bRps), "", null);
    run.row("p50 latency, " + c + " connections (LoadTester)", Fmt.ms(oP50), Fmt.ms(bP50), Fmt.ratio(oP50 / bP50), "", null);
    run.row("p99 latency, " + c + " connections (LoadTester)", Fmt.ms(oP99), Fmt.ms(bP99), Fmt.ratio(oP99 / bP99), "", null);
    run.results.latency.add(new Results.LatencyBar(c + " connections", "bare Vert.x", bP50, bP99));
    run.results.latency.add(new Results.LatencyBar(c + " connections", "controller + worker", oP50, oP99));
    breakdown(run, oursCpu, bareCpu, total(oursRuns), total(bareRuns));

    lowLoad(run, ours, bare);
  }

  /**
   * wrk (one thread) against the cluster and the bare server, rounds alternating: the ratio with
   * the least of the load generator in it. The LoadTester's rows follow it.
   */
  private static void withWrk(Run run, EchoSetup setup, int c) {
    Settings s = run.settings;
    if (!Wrk.available()) {
      run.note("wrk is not installed (apt-get install wrk): the throughput ratio is the LoadTester's alone, which"
          + " flatters it (the tester's own CPU caps the bare server's rate more than the cluster's).");
      return;
    }
    List<Wrk.Result> ours = new ArrayList<>();
    List<Wrk.Result> bare = new ArrayList<>();
    for (int round = 0; round < s.overheadRounds(); round++) {
      bare.add(Wrk.run(null, 1, c, s.wrkSeconds(), setup.bareUrl));
      ours.add(Wrk.run(null, 1, c, s.wrkSeconds(), setup.oursUrl));
      run.log("wrk round " + (round + 1) + ": ours " + Fmt.rps(ours.get(round).rps()) + ", bare "
          + Fmt.rps(bare.get(round).rps()));
    }
    run.command(String.join(" ", Wrk.command(null, 1, c, s.wrkSeconds(), setup.oursUrl)) + "   # x"
        + s.overheadRounds() + ", alternating with the same against the bare server");
    double oRps = Stats.median(ours.stream().mapToDouble(Wrk.Result::rps).toArray());
    double bRps = Stats.median(bare.stream().mapToDouble(Wrk.Result::rps).toArray());
    double oP50 = Stats.median(ours.stream().mapToDouble(Wrk.Result::p50Ms).toArray());
    double bP50 = Stats.median(bare.stream().mapToDouble(Wrk.Result::p50Ms).toArray());
    double oP99 = Stats.median(ours.stream().mapToDouble(Wrk.Result::p99Ms).toArray());
    double bP99 = Stats.median(bare.stream().mapToDouble(Wrk.Result::p99Ms).toArray());
    double ratio = oRps / bRps;
    run.row("throughput, " + c + " connections (wrk)", Fmt.rps(oRps), Fmt.rps(bRps), Fmt.ratio(ratio),
        "ratio ≥ " + MIN_RPS_RATIO, ratio >= MIN_RPS_RATIO);
    run.row("p50 latency, " + c + " connections (wrk)", Fmt.ms(oP50), Fmt.ms(bP50), Fmt.ratio(oP50 / bP50), "", null);
    run.row("p99 latency, " + c + " connections (wrk)", Fmt.ms(oP99), Fmt.ms(bP99), Fmt.ratio(oP99 / bP99), "", null);
  }

  /** CPU time per request in each process: on 2 cores it decides the throughput. */
  private static void breakdown(Run run, Map<String, Double> oursCpu, Map<String, Double> bareCpu,
      long oursRequests, long bareRequests) {
    StringBuilder line = new StringBuilder("CPU time per request (from /proc/<pid>/stat over the measured rounds): ours ");
    oursCpu.forEach((k, v) -> line.append(k).append(' ').append(Fmt.us(v * 1e6 / oursRequests)).append(", "));
    line.append("total ").append(Fmt.us(sum(oursCpu) * 1e6 / oursRequests)).append("; bare ");
    bareCpu.forEach((k, v) -> line.append(k).append(' ').append(Fmt.us(v * 1e6 / bareRequests)).append(", "));
    line.append("total ").append(Fmt.us(sum(bareCpu) * 1e6 / bareRequests)).append('.');
    run.note(line.toString());
    run.row("CPU per request, all processes", Fmt.us(sum(oursCpu) * 1e6 / oursRequests),
        Fmt.us(sum(bareCpu) * 1e6 / bareRequests),
        Fmt.ratio((sum(oursCpu) / oursRequests) / (sum(bareCpu) / bareRequests)), "", null);
  }

  private void lowLoad(Run run, Load ours, Load bare) {
    Settings s = run.settings;
    List<LoadResult> o = new ArrayList<>();
    List<LoadResult> b = new ArrayList<>();
    for (int round = 0; round < s.overheadRounds(); round++) {
      b.add(Load.checked(bare.closed(1, s.lowLoadSeconds(), 200), "bare, 1 connection"));
      o.add(Load.checked(ours.closed(1, s.lowLoadSeconds(), 200), "ours, 1 connection"));
    }
    run.command(ours.closedCommand(1, s.lowLoadSeconds(), 200) + "   # alternating with the bare server");
    double oP50 = Stats.median(o, LoadResult::p50Ms);
    double bP50 = Stats.median(b, LoadResult::p50Ms);
    double oP99 = Stats.median(o, LoadResult::p99Ms);
    double bP99 = Stats.median(b, LoadResult::p99Ms);
    double addedUs = (oP50 - bP50) * 1000;
    run.row("added p50 latency, 1 connection", Fmt.ms(oP50), Fmt.ms(bP50), Fmt.signed(Fmt.us(addedUs)),
        "≤ +" + (int) MAX_ADDED_P50_US + " µs", addedUs <= MAX_ADDED_P50_US);
    run.row("added p99 latency, 1 connection", Fmt.ms(oP99), Fmt.ms(bP99), Fmt.signed(Fmt.us((oP99 - bP99) * 1000)), "", null);
    run.row("throughput, 1 connection", Fmt.rps(Stats.median(o, LoadResult::rps)),
        Fmt.rps(Stats.median(b, LoadResult::rps)),
        Fmt.ratio(Stats.median(o, LoadResult::rps) / Stats.median(b, LoadResult::rps)), "", null);
    run.results.latency.add(new Results.LatencyBar("1 connection", "bare Vert.x", bP50, bP99));
    run.results.latency.add(new Results.LatencyBar("1 connection", "controller + worker", oP50, oP99));
  }

  private static long total(List<LoadResult> runs) {
    return runs.stream().mapToLong(LoadResult::requests).sum();
  }

  private static double sum(Map<String, Double> m) {
    return m.values().stream().mapToDouble(Double::doubleValue).sum();
  }
}
