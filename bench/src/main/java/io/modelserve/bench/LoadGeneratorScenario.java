package io.modelserve.bench;

import io.modelserve.tools.LoadResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 6: proves the load tester. Its closed loop must agree with wrk (a C tool with no
 * code in common) within 10% on the overhead set-up, same connections, same duration,
 * alternating; and its open loop must keep the schedule it was given, with latency measured
 * from the scheduled send (coordinated omission corrected).
 *
 * <p>Both generators run pinned to CPU 0 and the servers to CPU 1: unpinned on 2 cores, the
 * cheaper client (wrk, in C) would leave the server more CPU, and the check would compare the
 * clients' costs instead of their measurements.
 */
final class LoadGeneratorScenario implements Scenario {

  static final double MAX_DISAGREEMENT = 0.10;
  static final double MIN_SCHEDULE_KEPT = 0.95;
  /** Requests a fresh load-tester JVM sends before measuring: enough for its JIT to settle. */
  private static final long OWN_JVM_WARMUP = 30_000;
  /** Open-loop rates as fractions of the closed-loop capacity. */
  private static final double[] LOAD_FRACTIONS = {0.5, 0.8};

  @Override
  public String title() {
    return "6. Load generator";
  }

  @Override
  public long limitSeconds(Settings s) {
    return s.quick() ? 150 : 420;
  }

  @Override
  public void run(Run run) {
    Settings s = run.settings;
    EchoSetup setup = run.track(EchoSetup.start(run));
    String clientCpu = pin(run, setup);
    int c = s.overheadConcurrency();
    Load ours = Load.get(setup.oursUrl);
    Load bare = Load.get(setup.bareUrl);
    // the servers' JIT and the load tester's own (it runs in this JVM) both warm up first
    ours.closed(c, 2 * s.warmupSeconds(), 0);
    bare.closed(c, s.warmupSeconds(), 0);
    double capacity;
    if (Wrk.available()) {
      capacity = agreement(run, "controller + worker", ours, setup.oursUrl, clientCpu, Target.AGREE);
      // a tester that cannot keep up with a fast server measures itself: at least 0.8 of wrk's
      // rate on the bare server, both in processes of their own on the same core
      agreement(run, "bare Vert.x", bare, setup.bareUrl, clientCpu, Target.KEEP_UP);
    } else {
      run.results.problem(run.scenario, "wrk is not installed (bench/run.sh installs it with apt-get);"
          + " the agreement check was skipped");
      capacity = ours.closed(c, s.wrkSeconds(), 0).rps();
    }
    openLoop(run, ours, capacity);
  }

  /**
   * Pins the servers to CPU 1 and this JVM, hence the load tester, to CPU 0; returns the CPU
   * for wrk, or null when pinning is not possible (then neither side is pinned).
   */
  private static String pin(Run run, EchoSetup setup) {
    if (!Affinity.available()) {
      run.note("taskset is missing or the machine has one core: generators and servers ran unpinned.");
      return null;
    }
    for (long pid : new long[] {setup.cluster.controllerPid(), setup.worker.pid(), setup.bare.pid()}) {
      Affinity.pin(pid, "1");
    }
    long self = ProcessHandle.current().pid();
    String all = Affinity.allCpus();
    Affinity.pin(self, "0");
    // unpinned again before the next scenario, whose JVMs would otherwise inherit CPU 0 alone
    run.track(() -> Affinity.pin(self, all));
    run.note("Load generators (this JVM's load tester, wrk) pinned to CPU 0, controller, worker and bare server"
        + " to CPU 1 (taskset), so neither generator takes CPU from the server it measures.");
    return "0";
  }

  /** What the LoadTester's rate is held to against wrk's. */
  private enum Target {
    /** Within ±10 %: through the cluster, where both should measure the same server. */
    AGREE,
    /** At least {@link #MIN_KEEP_UP} of wrk's: on the bare server, where the client is the limit. */
    KEEP_UP
  }

  static final double MIN_KEEP_UP = 0.8;

  /**
   * Returns the load tester's median closed-loop rate. It runs as its own process, as wrk does,
   * on the same CPU when pinning is possible.
   */
  private double agreement(Run run, String side, Load load, String url, String cpu, Target goal) {
    Settings s = run.settings;
    int c = s.overheadConcurrency();
    int threads = cpu == null ? Math.min(c, Runtime.getRuntime().availableProcessors()) : 1;
    List<LoadResult> ours = new ArrayList<>();
    List<Wrk.Result> wrk = new ArrayList<>();
    for (int round = 0; round < s.wrkRounds(); round++) {
      // who goes first alternates, so a drift in the machine's load favours neither
      if (round % 2 == 0) {
        wrk.add(Wrk.run(cpu, threads, c, s.wrkSeconds(), url));
      }
      ours.add(Load.checked(
          load.closedInOwnJvm(cpu, c, s.wrkSeconds(), OWN_JVM_WARMUP, run.work.resolve("loadtester.json")), side));
      if (round % 2 == 1) {
        wrk.add(Wrk.run(cpu, threads, c, s.wrkSeconds(), url));
      }
    }
    run.command(String.join(" ", Wrk.command(cpu, threads, c, s.wrkSeconds(), url)) + "   # alternating with:");
    run.command((cpu != null ? "taskset -c " + cpu + " " : "") + "java -cp <bench class path> io.modelserve.tools."
        + load.closedCommand(c, s.wrkSeconds(), OWN_JVM_WARMUP) + " --warmup-seconds " + Load.OWN_JVM_WARMUP_SECONDS
        + "   # a JVM of its own, like wrk");
    double lt = Stats.median(ours, LoadResult::rps);
    double w = Stats.median(wrk.stream().mapToDouble(Wrk.Result::rps).toArray());
    double ratio = lt / w;
    boolean agree = goal == Target.AGREE;
    run.row("LoadTester vs wrk req/s, " + side + ", " + c + " connections", Fmt.rps(lt), Fmt.rps(w) + " (wrk)",
        Fmt.ratio(ratio), agree ? "within ±" + (int) (MAX_DISAGREEMENT * 100) + "%" : "≥ " + MIN_KEEP_UP,
        agree ? Math.abs(ratio - 1) <= MAX_DISAGREEMENT : ratio >= MIN_KEEP_UP);
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
      // a second of closed-loop warm-up opens the pool's connections before the schedule starts
      long warmup = (long) rate;
      LoadResult r = Load.checked(ours.open(rate, connections, s.wrkSeconds(), warmup), "open loop");
      double kept = r.rps() / rate;
      run.command(ours.openCommand(rate, connections, s.wrkSeconds(), warmup));
      run.row("open loop at " + Fmt.pct(fraction) + " of capacity: achieved/scheduled rate",
          Fmt.rps(r.rps()), Fmt.rps(rate) + " (scheduled)", Fmt.ratio(kept),
          "≥ " + MIN_SCHEDULE_KEPT, kept >= MIN_SCHEDULE_KEPT);
      run.row("open loop at " + Fmt.pct(fraction) + " of capacity: p50 / p99 / p99.9 (from scheduled send)",
          Fmt.ms(r.p50Ms()) + " / " + Fmt.ms(r.p99Ms()) + " / " + Fmt.ms(r.p999Ms()), "", "", "", null);
      run.log("open loop " + Fmt.rps(rate) + ": achieved " + Fmt.rps(r.rps()) + ", p99 " + Fmt.ms(r.p99Ms()));
    }
  }
}
