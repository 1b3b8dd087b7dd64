package io.modelserve.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 11: the CPU one echo request costs each process, the kernel's share apart. wrk (one
 * thread, 16 connections) drives the controller + 1 echo worker and, alternately, the bare
 * Vert.x server answering the same bytes; each process's user and system CPU over the round
 * ({@code /proc/<pid>/stat}) and its threads' context switches ({@code /proc/<pid>/task/}) are
 * divided by the requests wrk completed. The medians over rounds; the cluster's figures are what
 * the controller and the worker spend, heartbeats included. Measured with the controller on one
 * HTTP event loop (the targets), then on 2, 4 and 8 as the machine's cores allow.
 */
final class CpuPerRequestScenario implements Scenario {

  static final double MAX_CONTROLLER_US = 15;
  static final double MAX_WORKER_US = 15;
  static final int CONNECTIONS = 16;

  @Override
  public String title() {
    return "11. CPU per request";
  }

  @Override
  public long limitSeconds(Settings s) {
    return (s.quick() ? 75 : 200) * loopSettings(Runtime.getRuntime().availableProcessors()).size();
  }

  /**
   * The controller's HTTP event loops measured on a machine of {@code cores}: 1, then 2, 4 and
   * 8 as far as half the cores (at least 2): on 2 cores, 1 and 2.
   */
  static List<Integer> loopSettings(int cores) {
    List<Integer> loops = new ArrayList<>(List.of(1));
    for (int n = 2; n <= 8 && n <= Math.max(2, cores / 2); n *= 2) {
      loops.add(n);
    }
    return loops;
  }

  @Override
  public void run(Run run) throws Exception {
    if (!Wrk.available()) {
      run.results.problem(run.scenario, "skipped: wrk is not installed (apt-get install wrk)");
      return;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    // one wrk thread keeps up with the cluster here; on a big machine with many HTTP loops more
    int threads = Math.max(1, Math.min(4, cores / 4));
    for (int loops : loopSettings(cores)) {
      try (EchoSetup setup = EchoSetup.start(run, "--http-event-loops", "" + loops)) {
        measure(run, setup, loops, threads);
      }
    }
    run.note("Resolution: the kernel counts CPU in 10 ms ticks, so over a round of " + run.settings.wrkSeconds()
        + " s and tens of thousands of requests a figure is good to about 0.5 µs. Each process's CPU"
        + " includes its own background work (heartbeats, Hazelcast), spread over the requests of the round."
        + " With more than one HTTP event loop the controller's requests change threads twice (to the"
        + " dispatcher's loop and back): on a machine whose cores are all busy that costs more than it spreads.");
  }

  private void measure(Run run, EchoSetup setup, int loops, int threads) {
    Settings s = run.settings;
    int seconds = s.wrkSeconds();
    // the JIT takes a while over the cluster's path: measured here, the rate still rose 3-fold
    // over four 5 s rounds after 2 s of warm-up
    int warmup = s.quick() ? 2 : 20;
    run.log(loops + " HTTP event loop(s): warming up both for " + warmup + " s");
    Wrk.run(null, threads, CONNECTIONS, warmup, setup.oursUrl);
    Wrk.run(null, threads, CONNECTIONS, Math.max(1, warmup / 4), setup.bareUrl);
    Map<String, Long> ours = new LinkedHashMap<>();
    ours.put("controller", setup.cluster.controllerPid());
    ours.put("worker", setup.worker.pid());
    Map<String, Long> bare = Map.of("bare server", setup.bare.pid());
    Map<String, List<double[]>> perRequest = new LinkedHashMap<>();
    List<Double> oursRps = new ArrayList<>();
    List<Double> bareRps = new ArrayList<>();
    for (int round = 0; round < s.wrkRounds(); round++) {
      oursRps.add(measure(setup.oursUrl, threads, seconds, ours, perRequest));
      bareRps.add(measure(setup.bareUrl, threads, seconds, bare, perRequest));
      run.log("round " + (round + 1) + ": ours " + Fmt.rps(oursRps.get(round)) + ", bare " + Fmt.rps(bareRps.get(round)));
    }
    run.command(String.join(" ", Wrk.command(null, threads, CONNECTIONS, seconds, setup.oursUrl))
        + "   # x" + s.wrkRounds() + ", alternating with the bare server; CPU from /proc/<pid>/stat around each;"
        + " controller with --http-event-loops " + loops);
    // the targets are the single loop's: one request's own cost, no hand-off between threads
    boolean targets = loops == 1;
    String tag = loops == 1 ? "" : ", " + loops + " HTTP loops";
    for (Map.Entry<String, List<double[]>> e : perRequest.entrySet()) {
      double user = median(e.getValue(), 0);
      double system = median(e.getValue(), 1);
      double switches = median(e.getValue(), 2);
      String who = e.getKey();
      Double limit = !targets ? null : who.equals("controller") ? Double.valueOf(MAX_CONTROLLER_US)
          : who.equals("worker") ? Double.valueOf(MAX_WORKER_US) : null;
      // the bare server has no HTTP loops of ours: its rounds alternate with this setting's
      String label = who + (who.startsWith("bare") && loops > 1 ? ", rounds beside " + loops + " HTTP loops" : tag);
      run.row("CPU per request, " + label + " (user + system)", Fmt.num(user + system, 1) + " µs",
          Fmt.num(user, 1) + " + " + Fmt.num(system, 1) + " µs", "", limit == null ? "" : "≤ " + Fmt.num(limit, 0) + " µs",
          limit == null ? null : Boolean.valueOf(user + system <= limit));
      run.row("context switches per request, " + label, Fmt.num(switches, 2), "", "", "", null);
    }
    double o = Stats.median(oursRps.stream().mapToDouble(Double::doubleValue).toArray());
    double b = Stats.median(bareRps.stream().mapToDouble(Double::doubleValue).toArray());
    run.row("wrk, " + CONNECTIONS + " connections: through the cluster" + tag + " / bare", Fmt.rps(o), Fmt.rps(b) + " (bare)",
        Fmt.ratio(o / b), targets ? "ratio ≥ 0.35" : "", targets ? Boolean.valueOf(o / b >= 0.35) : null);
  }

  /** One wrk round on {@code url}; adds each process's {user, system, switches} per request. */
  private static double measure(String url, int threads, int seconds, Map<String, Long> pids,
      Map<String, List<double[]>> out) {
    Map<String, double[]> before = new LinkedHashMap<>();
    pids.forEach((name, pid) -> before.put(name, sample(pid)));
    Wrk.Result r = Wrk.run(null, threads, CONNECTIONS, seconds, url);
    // wrk's own count ("123456 requests in 8.00s"), else its rate times the round
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) requests in").matcher(r.output());
    long requests = m.find() ? Long.parseLong(m.group(1)) : Math.round(r.rps() * seconds);
    pids.forEach((name, pid) -> {
      double[] a = before.get(name);
      double[] z = sample(pid);
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {
          (z[0] - a[0]) * 1e6 / requests, (z[1] - a[1]) * 1e6 / requests, (z[2] - a[2]) / requests});
    });
    return r.rps();
  }

  private static double[] sample(long pid) {
    double[] cpu = ProcStats.cpuSplit(pid);
    if (cpu == null) {
      throw new IllegalStateException("process " + pid + " is gone");
    }
    return new double[] {cpu[0], cpu[1], ProcStats.contextSwitches(pid)};
  }

  private static double median(List<double[]> rows, int column) {
    return Stats.median(rows.stream().mapToDouble(r -> r[column]).toArray());
  }
}
