package io.modelserve.bench;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs every benchmark scenario, one after the other and each within its time limit, then
 * writes {@code results.md} and the plots. {@code bench/run.sh} builds and starts it.
 *
 * <p>Arguments: {@code [--quick] [--out DIR] [--only 1,3,...] [--device cpu|0]}
 * (scenario numbers; the device of scenario 10, the GPU one, which {@code bench/gpu.sh} runs).
 */
public final class BenchSuite {

  private static final List<Scenario> SCENARIOS = List.of(
      new FootprintScenario(), new OverheadScenario(), new LoadGeneratorScenario(),
      new ScalingScenario(), new BalancingScenario(), new OcrScenario(), new BatchingScenario(),
      new BatchingOverheadScenario(), new StreamingScenario(), new GpuScenario(), new CpuPerRequestScenario());

  private BenchSuite() {}

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    Path out = null;
    List<String> only = List.of();
    String device = "cpu";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--out" -> out = Path.of(args[++i]);
        case "--only" -> only = List.of(args[++i].split(","));
        case "--device" -> device = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: BenchSuite [--quick] [--out DIR] [--only 1,2,...] [--device cpu|0|1...]");
      }
    }
    Settings settings = (quick ? Settings.forQuickRun() : Settings.forFullRun()).withDevice(device);
    String date = LocalDate.now().toString();
    if (out == null) {
      out = Path.of(quick ? "bench/target/quick/" + date : "bench/results/" + date);
    }
    Path work = Path.of("bench/target/work");
    Results results = new Results();
    String loadBefore = ProcStats.loadAverage();
    int cores = Runtime.getRuntime().availableProcessors();
    long start = System.nanoTime();

    AtomicReference<Run> current = new AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Run r = current.get();
      if (r != null) {
        r.closeAll();
      }
    }, "bench-cleanup"));

    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "scenario");
      t.setDaemon(true);
      return t;
    });
    for (Scenario scenario : SCENARIOS) {
      String number = scenario.title().substring(0, scenario.title().indexOf('.'));
      if (!only.isEmpty() && !only.contains(number)) {
        continue;
      }
      Run run = new Run(settings, results, work, scenario.title());
      current.set(run);
      executor = runBounded(executor, scenario, run);
      current.set(null);
    }
    executor.shutdownNow();

    List<String> plots = new ArrayList<>();
    java.nio.file.Files.createDirectories(out);
    for (String p : new String[] {Plots.scaling(results, out), Plots.balancing(results, out), Plots.overhead(results, out)}) {
      if (p != null) {
        plots.add(p);
      }
    }
    double wall = (System.nanoTime() - start) / 1e9;
    // a partial run never replaces a whole suite's results.md of the same day
    Path report = out.resolve(only.isEmpty() ? "results.md" : "results-only-" + String.join("-", only) + ".md");
    ReportWriter.write(report, results, settings, only, date, wall, loadBefore, ProcStats.loadAverage(), cores, plots);
    System.out.println("[bench] wrote " + report.toAbsolutePath() + " in " + Fmt.num(wall, 0) + " s");
    for (Results.Row r : results.rows()) {
      System.out.println("[bench] " + r.scenario() + " | " + r.figure() + " | " + r.ours() + " | " + r.baseline()
          + " | " + r.ratio() + (r.met() == null ? "" : r.met() ? " | met" : " | MISSED"));
    }
    results.problems().forEach(p -> System.out.println("[bench] PROBLEM " + p));
    // a quick run checks that the scenarios still work: a problem fails it (run_tests.sh runs one)
    System.exit(quick && !results.problems().isEmpty() ? 1 : 0);
  }

  /**
   * Runs one scenario on the executor's thread and waits at most its limit. A scenario out of
   * time has its processes stopped and its thread abandoned; the next one gets a fresh thread.
   */
  private static ExecutorService runBounded(ExecutorService executor, Scenario scenario, Run run) {
    long limit = scenario.limitSeconds(run.settings);
    System.out.println("[bench] === " + scenario.title() + " (at most " + limit + " s)");
    long t0 = System.nanoTime();
    Future<?> f = executor.submit(() -> {
      scenario.run(run);
      return null;
    });
    try {
      f.get(limit, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      run.results.problem(run.scenario, "stopped after its limit of " + limit + " s; figures above are partial");
      executor.shutdownNow();
      executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "scenario");
        t.setDaemon(true);
        return t;
      });
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      cause.printStackTrace();
      run.results.problem(run.scenario, "failed: " + cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      run.closeAll();
    }
    System.out.println("[bench] === " + scenario.title() + " done in " + Fmt.num((System.nanoTime() - t0) / 1e9, 0) + " s");
    return executor;
  }
}
