package io.modelserve.bench;

import io.modelserve.tools.LoadResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 6: proves the load tester. Its closed loop must agree with wrk (a C tool with no
 * code in common) within 10% on the overhead set-up, same connections, same duration,
 * alternating; and its open loop must keep the schedule it was given, with latency measured
 * from the scheduled send (coordinated omission corrected), shown next to the closed loop's.
 */
final class LoadGeneratorScenario implements Scenario {

  static final double MAX_DISAGREEMENT = 0.10;
  static final double MIN_SCHEDULE_KEPT = 0.95;
  /** Open-loop rates as fractions of the closed-loop capacity. */
  private static final double[] LOAD_FRACTIONS = {0.5, 0.8};

  @Override
  public String title() {
    return "6. Load generator";
  }

  @Override
  public long limitSeconds(Settings s) {
    return s.quick() ? 60 : 170;
  }

  @Override
  public void run(Run run) {
    Settings s = run.settings;
    EchoSetup setup = run.track(EchoSetup.start(run));
    int c = s.overheadConcurrency();
    Load ours = Load.get(setup.oursUrl);
    Load bare = Load.get(setup.bareUrl);
    ours.closed(c, s.warmupSeconds(), 0);
    bare.closed(c, s.warmupSeconds(), 0);
    double capacity;
    if (Wrk.available()) {
      capacity = agreement(run, "controller + worker", ours, setup.oursUrl);
      agreement(run, "bare Vert.x", bare, setup.bareUrl);
    } else {
      run.results.problem(run.scenario, "wrk is not installed (bench/run.sh installs it with apt-get);"
          + " the agreement check was skipped");
      capacity = ours.closed(c, s.wrkSeconds(), 0).rps();
    }
    openLoop(run, ours, capacity);
  }

  /** Returns the load tester's median closed-loop rate. */
  private double agreement(Run run, String side, Load load, String url) {
    Settings s = run.settings;
    int c = s.overheadConcurrency();
    // two wrk threads, as the load tester spreads its connections over the two cores' event loops
    int threads = Math.min(c, Runtime.getRuntime().availableProcessors());
    List<LoadResult> ours = new ArrayList<>();
    List<Wrk.Result> wrk = new ArrayList<>();
    for (int round = 0; round < s.wrkRounds(); round++) {
      wrk.add(Wrk.run(threads, c, s.wrkSeconds(), url));
      ours.add(Load.checked(load.closed(c, s.wrkSeconds(), 0), side));
    }
    run.command(String.join(" ", Wrk.command(threads, c, s.wrkSeconds(), url)) + "   # alternating with:");
    run.command(load.closedCommand(c, s.wrkSeconds(), 0));
    double lt = Stats.median(ours, LoadResult::rps);
    double w = Stats.median(wrk.stream().mapToDouble(Wrk.Result::rps).toArray());
    double ratio = lt / w;
    run.row("LoadTester vs wrk req/s, " + side + ", " + c + " connections", Fmt.rps(lt), Fmt.rps(w) + " (wrk)",
        Fmt.ratio(ratio), "within ±" + (int) (MAX_DISAGREEMENT * 100) + "%",
        Math.abs(ratio - 1) <= MAX_DISAGREEMENT);
    run.row("LoadTester vs wrk p50, " + side, Fmt.ms(Stats.median(ours, LoadResult::p50Ms)),
        Fmt.ms(Stats.median(wrk.stream().mapToDouble(Wrk.Result::p50Ms).toArray())) + " (wrk)",
        Fmt.ratio(Stats.median(ours, LoadResult::p50Ms)
            / Stats.median(wrk.stream().mapToDouble(Wrk.Result::p50Ms).toArray())), "", null);
    run.log(side + ": LoadTester " + Fmt.rps(lt) + ", wrk " + Fmt.rps(w));
    return lt;
  }

  private void openLoop(Run run, Load ours, double capacity) {
    Settings s = run.settings;
    // enough connections that the pool never caps the arrivals: Little's law with room to spare
    int connections = 64;
    for (double fraction : LOAD_FRACTIONS) {
      double rate = Math.max(10, Math.floor(capacity * fraction));
      LoadResult r = Load.checked(ours.open(rate, connections, s.wrkSeconds(), 0), "open loop");
      double kept = r.rps() / rate;
      run.command(ours.openCommand(rate, connections, s.wrkSeconds(), 0));
      run.row("open loop at " + Fmt.pct(fraction) + " of capacity: achieved/scheduled rate",
          Fmt.rps(r.rps()), Fmt.rps(rate) + " (scheduled)", Fmt.ratio(kept),
          "≥ " + MIN_SCHEDULE_KEPT, kept >= MIN_SCHEDULE_KEPT);
      run.row("open loop at " + Fmt.pct(fraction) + " of capacity: p50 / p99 / p99.9 (from scheduled send)",
          Fmt.ms(r.p50Ms()) + " / " + Fmt.ms(r.p99Ms()) + " / " + Fmt.ms(r.p999Ms()), "", "", "", null);
      run.log("open loop " + Fmt.rps(rate) + ": achieved " + Fmt.rps(r.rps()) + ", p99 " + Fmt.ms(r.p99Ms()));
    }
  }
}
