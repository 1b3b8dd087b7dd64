package io.modelserve.bench;

import io.modelserve.bench.BenchCluster.BatchCounters;
import io.modelserve.testing.LocalCluster.Node;
import io.modelserve.tools.LoadResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 7: what dynamic batching buys on a real model. The embedding service (all-MiniLM-L6-v2)
 * with {@code --max-batch-size 32} against the same worker with {@code --max-batch-size 1}, each
 * behind a controller of its own and both up at once, so that the rounds alternate between them
 * and drift in the shared machine's load falls on both; the idle side only sends heartbeats.
 * At saturation batching should multiply throughput; with one client, where every batch holds
 * one request, it should cost nothing.
 */
final class BatchingScenario implements Scenario {

  static final double MIN_RPS_RATIO = 2.0;
  static final double MAX_P50_RATIO = 1.05;

  @Override
  public String title() {
    return "7. Batching";
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
    BenchCluster batchedCluster = run.track(BenchCluster.start(Example.EMBEDDING, JvmProfile.FULL));
    Node batched = EmbeddingWork.startWorker(batchedCluster, EmbeddingWork.MAX_BATCH);
    BenchCluster singleCluster = run.track(BenchCluster.start(Example.EMBEDDING, JvmProfile.FULL));
    EmbeddingWork.startWorker(singleCluster, 1);
    Path body = EmbeddingWork.bodyFile(run);
    Load withBatching = Load.postJson(batchedCluster.url(EmbeddingWork.PATH), body);
    Load without = Load.postJson(singleCluster.url(EmbeddingWork.PATH), body);
    int c = s.batchingClients();

    run.log("warming up both workers");
    without.closed(c, s.warmupSeconds(), 0);
    withBatching.closed(c, s.warmupSeconds(), 0);

    List<LoadResult> b = new ArrayList<>();
    List<LoadResult> u = new ArrayList<>();
    BatchCounters first = null;
    BatchCounters last = null;
    for (int round = 0; round < s.batchingRounds(); round++) {
      u.add(Load.checked(without.closed(c, s.batchingSeconds(), 0), "batch size 1"));
      BatchCounters before = batchedCluster.batchCounters(EmbeddingWork.SERVICE, batched.pid());
      b.add(Load.checked(withBatching.closed(c, s.batchingSeconds(), 0), "batch size 32"));
      last = batchedCluster.batchCounters(EmbeddingWork.SERVICE, batched.pid());
      first = first == null ? before : first;
      run.log("round " + (round + 1) + ": batch 32 " + Fmt.rps(b.get(round).rps()) + " (mean batch "
          + Fmt.num(last.meanSince(before), 1) + "), batch 1 " + Fmt.rps(u.get(round).rps()));
    }
    run.command(withBatching.closedCommand(c, s.batchingSeconds(), 0) + "   # x" + s.batchingRounds()
        + ", alternating with the same against the worker started with --max-batch-size 1");

    double bRps = Stats.median(b, LoadResult::rps);
    double uRps = Stats.median(u, LoadResult::rps);
    double ratio = bRps / uRps;
    run.row("throughput, " + c + " clients: --max-batch-size 32 / 1", Fmt.rps(bRps), Fmt.rps(uRps) + " (batch size 1)",
        Fmt.ratio(ratio), "ratio ≥ " + Fmt.num(MIN_RPS_RATIO, 1), ratio >= MIN_RPS_RATIO);
    double mean = last.meanSince(first);
    run.row("mean batch size, " + c + " clients (worker's batchedRequests / batches over the rounds)",
        Fmt.num(mean, 1) + " (" + (last.batches() - first.batches()) + " batches)", "1", "", "", null);
    run.row("p50 / p99 latency, " + c + " clients",
        Fmt.ms(Stats.median(b, LoadResult::p50Ms)) + " / " + Fmt.ms(Stats.median(b, LoadResult::p99Ms)),
        Fmt.ms(Stats.median(u, LoadResult::p50Ms)) + " / " + Fmt.ms(Stats.median(u, LoadResult::p99Ms)),
        Fmt.ratio(Stats.median(b, LoadResult::p50Ms) / Stats.median(u, LoadResult::p50Ms)), "", null);

    wrkCheck(run, batchedCluster, singleCluster, c);
    oneClient(run, withBatching, without, batchedCluster, batched);
    run.note("Both workers run the example's `Embeddings` (all-MiniLM-L6-v2 on ONNX Runtime, its default"
        + " intra-op threads, one per core) with --max-batch-size 32 and 1, each behind its own controller;"
        + " every request is `" + EmbeddingWork.body() + "` (one sentence, 21 tokens).");
  }

  /** The same comparison with wrk, an independent generator that takes less CPU from the model. */
  private static void wrkCheck(Run run, BenchCluster batched, BenchCluster single, int c) {
    if (!Wrk.available()) {
      run.note("wrk is not installed: no independent check of the throughput ratio.");
      return;
    }
    try {
      Path script = EmbeddingWork.wrkScript(run);
      int seconds = run.settings.wrkSeconds();
      Wrk.Result u = Wrk.run(null, 2, c, seconds, single.url(EmbeddingWork.PATH), script);
      Wrk.Result b = Wrk.run(null, 2, c, seconds, batched.url(EmbeddingWork.PATH), script);
      run.row("throughput, " + c + " connections, by wrk (one round each)", Fmt.rps(b.rps()),
          Fmt.rps(u.rps()) + " (batch size 1)", Fmt.ratio(b.rps() / u.rps()), "", null);
      run.command(String.join(" ", Wrk.command(null, 2, c, seconds, batched.url(EmbeddingWork.PATH), script))
              .replace(script.toString(), script.getFileName().toString())
          + "   # then the same against the batch-size-1 worker");
    } catch (Exception e) {
      run.results.problem(run.scenario, "the wrk check failed: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** One client: every batch holds one request, so batching should add nothing to latency. */
  private static void oneClient(Run run, Load withBatching, Load without, BenchCluster cluster, Node batched) {
    Settings s = run.settings;
    List<LoadResult> b = new ArrayList<>();
    List<LoadResult> u = new ArrayList<>();
    BatchCounters before = cluster.batchCounters(EmbeddingWork.SERVICE, batched.pid());
    for (int round = 0; round < s.overheadRounds(); round++) {
      // who goes first alternates, so a drift in the machine's load favours neither
      if (round % 2 == 0) {
        u.add(Load.checked(without.closed(1, s.lowLoadSeconds(), 20), "batch size 1, 1 client"));
      }
      b.add(Load.checked(withBatching.closed(1, s.lowLoadSeconds(), 20), "batch size 32, 1 client"));
      if (round % 2 == 1) {
        u.add(Load.checked(without.closed(1, s.lowLoadSeconds(), 20), "batch size 1, 1 client"));
      }
    }
    double mean = cluster.batchCounters(EmbeddingWork.SERVICE, batched.pid()).meanSince(before);
    run.command(withBatching.closedCommand(1, s.lowLoadSeconds(), 20) + "   # x" + s.overheadRounds()
        + ", alternating with the batch-size-1 worker, which goes first in every other round");
    double bP50 = Stats.median(b, LoadResult::p50Ms);
    double uP50 = Stats.median(u, LoadResult::p50Ms);
    double ratio = bP50 / uP50;
    run.row("p50 latency, 1 client (mean batch " + Fmt.num(mean, 2) + ")", Fmt.ms(bP50), Fmt.ms(uP50) + " (batch size 1)",
        Fmt.ratio(ratio), "ratio ≤ " + MAX_P50_RATIO, ratio <= MAX_P50_RATIO);
    run.row("p99 latency, 1 client", Fmt.ms(Stats.median(b, LoadResult::p99Ms)),
        Fmt.ms(Stats.median(u, LoadResult::p99Ms)) + " (batch size 1)",
        Fmt.ratio(Stats.median(b, LoadResult::p99Ms) / Stats.median(u, LoadResult::p99Ms)), "", null);
  }
}
