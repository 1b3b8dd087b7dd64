package io.modelserve.bench;

import io.modelserve.testing.LocalCluster;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 9 (figures only, no target): a streamed answer through the cluster. Time to first
 * event through controller + worker against the same service's writer called in-process (and,
 * for scale, a bare Vert.x server), and events per second on one stream against a bare Vert.x
 * server writing the same events. Both servers stay up and the requests alternate between them.
 */
final class StreamingScenario implements Scenario {

  static final String SERVICE = "stream";
  /** Event sizes of the throughput rows: a token's worth, and 1 KB. */
  static final int[] SIZES = {0, 1000};

  @Override
  public String title() {
    return "9. Streaming";
  }

  @Override
  public long limitSeconds(Settings s) {
    return s.quick() ? 120 : 300;
  }

  @Override
  public void run(Run run) throws Exception {
    String[] why = new String[1];
    StreamInProcess inProcess = StreamInProcess.load(why);
    if (inProcess == null || !Files.isRegularFile(LocalCluster.repoRoot().resolve(Example.ECHO.module())
        .resolve("target/classes").resolve(StreamInProcess.SERVICE_CLASS.replace('.', '/') + ".class"))) {
      run.results.problem(run.scenario, "skipped: the echo example has no stream service on this branch ("
          + (why[0] != null ? why[0] : StreamInProcess.SERVICE_CLASS + " is not built") + ")");
      return;
    }
    Settings s = run.settings;
    BenchCluster cluster = run.track(BenchCluster.start(Example.ECHO, JvmProfile.FULL));
    cluster.startWorker(SERVICE, "cpu", JvmProfile.FULL);
    int port = BenchCluster.freePort();
    ChildJvm bare = run.track(ChildJvm.start(JvmProfile.FULL, run.work.resolve("bare-sse-server.log"),
        BareSseServer.class.getName(), "" + port));
    String bareBase = "http://127.0.0.1:" + port + "/stream";
    Http.awaitOk(bareBase + "?n=1", 60, bare::isAlive);
    run.command(bare.commandLine() + "   # the bare SSE server");
    String oursBase = cluster.url("/stream");

    firstEvent(run, inProcess, oursBase + "?n=1&ms=0", bareBase + "?n=1");
    for (int size : SIZES) {
      String q = "?n=" + s.streamEvents() + "&ms=0&size=" + size;
      List<Double> ours = new ArrayList<>();
      List<Double> base = new ArrayList<>();
      SseClient.get(oursBase + q);
      SseClient.get(bareBase + q);
      for (int round = 0; round < s.streamRounds(); round++) {
        base.add(rate(SseClient.get(bareBase + q), s.streamEvents()));
        ours.add(rate(SseClient.get(oursBase + q), s.streamEvents()));
      }
      double o = Stats.median(ours.stream().mapToDouble(Double::doubleValue).toArray());
      double b = Stats.median(base.stream().mapToDouble(Double::doubleValue).toArray());
      run.row("events/s, one stream of " + s.streamEvents() + " events of " + (size + 8) + "-" + (size + 14) + " bytes",
          Fmt.num(o, 0) + " /s", Fmt.num(b, 0) + " /s (bare Vert.x)", Fmt.ratio(o / b), "", null);
      run.command("GET " + oursBase + q + "   # x" + s.streamRounds() + ", alternating with the bare SSE server");
    }
    run.note("Stream service: the echo example's `GET /stream?n=N&ms=0&size=S` (event i is `data: i` and S"
        + " padding characters). Client: a plain socket, one connection per stream, counting events by their blank-line"
        + " ends as the bytes arrive. In-process: the service's `inference` and its writer called in the suite's"
        + " JVM on a stream that only notes the time of the first write.");
  }

  private static void firstEvent(Run run, StreamInProcess inProcess, String ours, String bare)
      throws Exception {
    int requests = run.settings.streamFirstEventRequests();
    for (int i = 0; i < Math.max(20, requests / 4); i++) {
      SseClient.get(ours);
      SseClient.get(bare);
    }
    double[] o = new double[requests];
    double[] b = new double[requests];
    for (int i = 0; i < requests; i++) {
      b[i] = checked(SseClient.get(bare), 1).firstEventMs();
      o[i] = checked(SseClient.get(ours), 1).firstEventMs();
    }
    for (int i = 0; i < 2000; i++) {
      inProcess.firstEventMs();
    }
    double[] p = new double[Math.max(requests, 1000)];
    for (int i = 0; i < p.length; i++) {
      p[i] = inProcess.firstEventMs();
    }
    double oP50 = Stats.median(o);
    double pP50 = Stats.median(p);
    run.row("time to first event, p50 (" + requests + " requests, n=1)", Fmt.ms(oP50), Fmt.ms(pP50) + " (in-process)",
        Fmt.signed(Fmt.ms(oP50 - pP50)), "", null);
    run.row("time to first event, p50, bare Vert.x SSE server", Fmt.ms(oP50), Fmt.ms(Stats.median(b)) + " (bare Vert.x)",
        Fmt.signed(Fmt.ms(oP50 - Stats.median(b))), "", null);
    run.row("time to first event, p99", Fmt.ms(percentile(o, 0.99)), Fmt.ms(percentile(b, 0.99)) + " (bare Vert.x)",
        Fmt.signed(Fmt.ms(percentile(o, 0.99) - percentile(b, 0.99))), "", null);
    run.command("GET " + ours + "   # x" + requests + ", alternating with the bare SSE server, one connection");
  }

  private static SseClient.Stream checked(SseClient.Stream s, long events) {
    if (s.events() != events) {
      throw new IllegalStateException("expected " + events + " events, got " + s.events());
    }
    return s;
  }

  private static double rate(SseClient.Stream s, long events) {
    return checked(s, events).events() / s.seconds();
  }

  private static double percentile(double[] values, double q) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    return v[Math.min(v.length - 1, (int) Math.ceil(q * v.length) - 1)];
  }
}
