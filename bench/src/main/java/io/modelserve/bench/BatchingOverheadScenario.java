package io.modelserve.bench;

import io.modelserve.bench.BenchCluster.BatchCounters;
import io.modelserve.testing.LocalCluster.Node;
import io.modelserve.tools.LoadResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 8: what serving costs a batched model at saturation. Embeddings through controller +
 * one worker (batch size 32, 64 clients, one sentence per request) against the same encoder fed
 * full batches of 32 sentences in a loop in a JVM of its own. The cluster stays up (idle, it
 * only sends heartbeats) and the rounds alternate: in-process loop, wrk, the project's load
 * tester. wrk gives the figure with a target: on 2 cores the load generator's CPU comes out of
 * the model's, and the in-process side has none, so the cheapest generator is the fair one.
 */
final class BatchingOverheadScenario implements Scenario {

  static final double MIN_RATIO = 0.9;

  @Override
  public String title() {
    return "8. Batching overhead";
  }

  @Override
  public long limitSeconds(Settings s) {
    return s.quick() ? 150 : 420;
  }

  @Override
  public void run(Run run) throws Exception {
    if (!EmbeddingWork.available(run)) {
      return;
    }
    Settings s = run.settings;
    int c = s.batchingClients();
    int batch = EmbeddingWork.MAX_BATCH;
    int seconds = (int) Math.max(1, Math.round(s.batchingSeconds()));
    boolean withWrk = Wrk.available();

    BenchCluster cluster = run.track(BenchCluster.start(Example.EMBEDDING, JvmProfile.FULL));
    Node worker = EmbeddingWork.startWorker(cluster, batch);
    String url = cluster.url(EmbeddingWork.PATH);
    Load load = Load.postJson(url, EmbeddingWork.bodyFile(run));
    Path script = withWrk ? EmbeddingWork.wrkScript(run) : null;
    load.closed(c, s.warmupSeconds(), 0);

    List<double[]> inProcess = new ArrayList<>();
    List<Double> wrk = new ArrayList<>();
    List<LoadResult> tester = new ArrayList<>();
    Map<String, Double> cpu = new LinkedHashMap<>();
    double wrkSentences = 0;
    BatchCounters first = cluster.batchCounters(EmbeddingWork.SERVICE, worker.pid());
    for (int round = 0; round < s.batchingRounds(); round++) {
      inProcess.add(inProcess(run, seconds, round));
      if (withWrk) {
        try (ProcessMeter m = ProcessMeter.start(Map.of("controller", cluster.controllerPid(), "worker", worker.pid()))) {
          Wrk.Result r = Wrk.run(null, 2, c, seconds, url, script);
          m.close();
          wrk.add(r.rps());
          wrkSentences += r.rps() * seconds;
          m.cpuSeconds().forEach((k, v) -> cpu.merge(k, v, Double::sum));
        }
      }
      tester.add(Load.checked(load.closed(c, seconds, 0), "embeddings, " + c + " clients"));
      run.log("round " + (round + 1) + ": in-process " + Fmt.num(inProcess.get(round)[0] / inProcess.get(round)[1], 1)
          + " sentences/s, wrk " + (withWrk ? Fmt.rps(wrk.get(round)) : "-") + ", LoadTester " + Fmt.rps(tester.get(round).rps()));
    }
    double mean = cluster.batchCounters(EmbeddingWork.SERVICE, worker.pid()).meanSince(first);
    if (withWrk) {
      run.command(String.join(" ", Wrk.command(null, 2, c, seconds, url, script))
          .replace(script.toString(), script.getFileName().toString()) + "   # x" + s.batchingRounds()
          + ", alternating with the in-process loop and with:");
    }
    run.command(load.closedCommand(c, seconds, 0) + "   # x" + s.batchingRounds());

    double base = Stats.median(inProcess.stream().mapToDouble(r -> r[0] / r[1]).toArray());
    String baseline = Fmt.num(base, 1) + " /s (in-process, batches of " + batch + ")";
    double byTester = Stats.median(tester, LoadResult::rps);
    String what = "sentences/s, batch size " + batch + " (mean batch " + Fmt.num(mean, 1) + "), ";
    if (withWrk) {
      double byWrk = Stats.median(wrk.stream().mapToDouble(Double::doubleValue).toArray());
      run.row(what + c + " connections by wrk", Fmt.num(byWrk, 1) + " /s", baseline, Fmt.ratio(byWrk / base),
          "ratio ≥ " + MIN_RATIO, byWrk / base >= MIN_RATIO);
      run.row("sentences/s, " + c + " clients by LoadTester (in the suite's JVM)", Fmt.num(byTester, 1) + " /s",
          baseline, Fmt.ratio(byTester / base), "", null);
    } else {
      run.row(what + c + " clients by LoadTester (wrk absent)", Fmt.num(byTester, 1) + " /s", baseline,
          Fmt.ratio(byTester / base), "ratio ≥ " + MIN_RATIO, byTester / base >= MIN_RATIO);
    }
    if (withWrk) {
      double inCpu = inProcess.stream().mapToDouble(r -> r[3]).sum() / inProcess.stream().mapToDouble(r -> r[0]).sum();
      double workerCpu = cpu.get("worker") / wrkSentences;
      double controllerCpu = cpu.get("controller") / wrkSentences;
      run.row("CPU per sentence: worker + controller (wrk rounds) / in-process JVM",
          Fmt.us(workerCpu * 1e6) + " + " + Fmt.us(controllerCpu * 1e6), Fmt.us(inCpu * 1e6) + " (in-process)",
          Fmt.ratio((workerCpu + controllerCpu) / inCpu), "", null);
      run.note("CPU per sentence from /proc/<pid>/stat over the wrk rounds (sentences counted from wrk's rate),"
          + " against the in-process JVM's own CPU time over its loop: on 2 cores, CPU the cluster spends beyond the"
          + " encoder's, or CPU the encoder wastes when its two intra-op threads share the cores with other threads,"
          + " is throughput lost.");
    }
    run.row("p50 latency of a request at " + c + " clients / of a batch in-process",
        Fmt.ms(Stats.median(tester, LoadResult::p50Ms)),
        Fmt.ms(Stats.median(inProcess.stream().mapToDouble(r -> r[2]).toArray())) + " (one batch of " + batch + ")",
        "", "", null);
    run.note("The in-process baseline calls the example's `MiniLmEncoder.embed` with " + batch + " copies of the"
        + " request's sentence at a time, in a loop on one thread, in a JVM of its own (started anew each round,"
        + " the load not timed): the worker's device thread with every batch full and no HTTP, JSON, event bus"
        + " or gathering of requests. Both sides use ONNX Runtime's default intra-op threads (one per core).");
  }

  /** {sentences, seconds, p50 ms per batch, CPU seconds} of one in-process loop. */
  private static double[] inProcess(Run run, int seconds, int round) {
    ChildJvm jvm = run.track(ChildJvm.start(JvmProfile.EMBEDDING, run.work.resolve("embedding-inprocess-" + round + ".log"),
        EmbeddingInProcess.class.getName(), "5", "" + seconds, "" + EmbeddingWork.MAX_BATCH, EmbeddingWork.SENTENCE));
    String out = jvm.awaitOutput(180);
    if (round == 0) {
      run.command(jvm.commandLine().replace(EmbeddingWork.SENTENCE, "'" + EmbeddingWork.SENTENCE + "'")
          + "   # in-process baseline, each round");
    }
    for (String line : out.split("\n")) {
      if (line.startsWith("RESULT ")) {
        String[] f = line.trim().split(" ");
        return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
            Double.parseDouble(f[4])};
      }
    }
    throw new IllegalStateException("no RESULT line from the in-process loop:\n" + out);
  }
}
