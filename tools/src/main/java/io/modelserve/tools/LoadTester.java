package io.modelserve.tools;

import io.modelserve.tools.impl.Cli;
import io.modelserve.tools.impl.LoadRun;
import io.modelserve.tools.impl.PreparedRequest;
import io.modelserve.tools.impl.Report;
import io.modelserve.tools.impl.RequestArgs;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Sends many requests to one URL and reports throughput and latency percentiles.
 *
 * <p>Usage: {@code java -cp <cp> io.modelserve.tools.LoadTester --url URL [-n N | --duration S]
 * [-c C] [--rate R] ...}; {@code --help} lists every option. Programs call
 * {@link #run(LoadOptions)} instead and read the {@link LoadResult}.
 *
 * <h2>Two ways to pace the load</h2>
 *
 * <p><b>Closed loop</b> (the default): {@code concurrency} clients each send a request, wait
 * for the answer, and send the next. Latency runs from the actual send to the answer and is
 * recorded as is ({@code recordValueWithExpectedInterval} is not used). This measures the
 * server's capacity, but understates latency under load: when the server stalls, the clients
 * stall with it and do not send the requests that real users would have sent meanwhile, so
 * the stall shows up in one sample instead of in every request it delayed. Gil Tene calls
 * this <i>coordinated omission</i>.
 *
 * <p><b>Open loop</b> ({@code rate > 0}): request {@code i} is due at
 * {@code t0 + i / rate}, whether or not earlier ones have answered, and its latency runs
 * from that <i>intended</i> time, not from when it actually left. Time spent queued behind a
 * slow server, or waiting for one of the {@code concurrency} pooled connections, therefore
 * counts, which is the correction HdrHistogram applies to closed-loop data after the fact,
 * done here at the source. Use it to ask "what latency do users see at R requests/s?".
 *
 * <p>Both modes use one Vert.x instance and one client whose keep-alive connection pool has
 * {@code concurrency} connections, so at most that many requests are in flight. Requests run
 * until the count is reached ({@code requests}) or for {@code durationSeconds}; warm-up
 * requests go first, closed-loop, and are left out of every number.
 */
@Command(name = "load-tester", sortOptions = false,
    description = "Sends many requests to a URL and prints throughput and latency percentiles.")
public final class LoadTester implements Callable<Integer> {

  @Mixin
  private RequestArgs request;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Option(names = {"-n", "--requests"}, paramLabel = "N",
      description = "Requests to send (default: " + LoadOptions.DEFAULT_REQUESTS + ").")
  private Long requests;

  @Option(names = {"-c", "--concurrency"}, paramLabel = "C",
      defaultValue = "" + LoadOptions.DEFAULT_CONCURRENCY,
      description = "Concurrent connections, hence clients in the closed loop (default: ${DEFAULT-VALUE}).")
  private int concurrency;

  @Option(names = "--duration", paramLabel = "SECONDS",
      description = "Send for this long instead of a fixed count.")
  private Double duration;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "" + LoadOptions.DEFAULT_WARMUP,
      description = "Requests sent first and left out of the numbers (default: ${DEFAULT-VALUE}).")
  private long warmup;

  @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "3",
      description = "Then warm up for at least S seconds and 20,000 requests, and on while the rate still "
          + "changes (until three one-second windows in a row agree within 10 %), at most 10 x S; left out of "
          + "the numbers. 0: no warm-up by time (default: ${DEFAULT-VALUE}).")
  private double warmupSeconds;

  @Option(names = "--event-loops", paramLabel = "N", defaultValue = "" + LoadOptions.DEFAULT_EVENT_LOOPS,
      description = "Event loops for the connections (default: ${DEFAULT-VALUE}); more only when one core "
          + "of this machine cannot keep up with the server.")
  private int eventLoops;

  @Option(names = "--rate", paramLabel = "R",
      description = "Open loop: send R requests/s on a fixed schedule, latency from the scheduled time.")
  private Double rate;

  @Option(names = "--progress",
      description = "Draw a progress bar on stderr even when it is not a terminal.")
  private boolean progress;

  @Option(names = "--json-out", paramLabel = "FILE", description = "Also write the result as JSON.")
  private Path jsonOut;

  @Spec
  private CommandSpec spec;

  public static void main(String[] args) {
    Cli.quietLogging();
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line and returns its exit code: 0 done, 1 no request succeeded, 2 bad input. */
  static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return Cli.execute(new LoadTester(), args, out, err);
  }

  @Override
  public Integer call() {
    if (requests != null && duration != null) {
      throw new IllegalArgumentException("give -n/--requests or --duration, not both");
    }
    LoadOptions options = LoadOptions.builder(request.toSpec())
        .requests(requests != null ? requests : LoadOptions.DEFAULT_REQUESTS)
        .concurrency(concurrency)
        .durationSeconds(duration != null ? duration : 0)
        .warmup(warmup)
        .warmupSeconds(warmupSeconds)
        .eventLoops(eventLoops)
        .rate(rate != null ? rate : 0)
        .progress(progress || Cli.stderrIsTerminal())
        .build();
    LoadResult result = run(options);
    PrintWriter out = spec.commandLine().getOut();
    out.print(Report.format(result, options.request().toString()));
    out.flush();
    if (result.ok() == 0) {
      spec.commandLine().getErr().println("load-tester: no request succeeded; see the failures above");
    }
    if (jsonOut != null) {
      try {
        Files.writeString(jsonOut, result.toJson() + System.lineSeparator(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot write --json-out " + jsonOut + ": " + e.getMessage());
      }
    }
    return result.ok() == 0 ? 1 : 0;
  }

  /**
   * Runs a load on a Vert.x instance of its own, closed when done, and waits for the result.
   * It blocks, so call it from a plain thread, never from a Vert.x event loop.
   *
   * @throws IllegalArgumentException when the request cannot be built, e.g. a file is unreadable
   */
  public static LoadResult run(LoadOptions options) {
    PreparedRequest prepared = PreparedRequest.of(options.request());
    Vertx vertx = Vertx.vertx();
    try {
      return start(vertx, prepared, options).toCompletionStage().toCompletableFuture().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  /**
   * Runs a load on the caller's Vert.x instance, for programs that already have one.
   *
   * @throws IllegalArgumentException at once when the request cannot be built
   */
  public static Future<LoadResult> run(Vertx vertx, LoadOptions options) {
    return start(vertx, PreparedRequest.of(options.request()), options);
  }

  private static Future<LoadResult> start(Vertx vertx, PreparedRequest prepared, LoadOptions options) {
    int loops = Math.min(options.concurrency(), options.eventLoops());
    HttpClientAgent client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true))
        .with(new PoolOptions().setHttp1MaxSize(options.concurrency()).setEventLoopSize(loops == 1 ? 0 : loops))
        .build();
    // One context drives the run so its bookkeeping is single-threaded. With one event loop (the
    // default) the connections live on that context's own loop (a pool event-loop size of 0):
    // no answer changes threads. Measured against a bare Vert.x server, tester and wrk pinned to
    // the same core: 67-69k req/s, 0.82-0.96 of wrk; with the pool on a loop of its own, every
    // answer handed over to the run's context, 35-37k; with two loops 22-26k
    Context context = vertx.getOrCreateContext();
    Future<?> warmedUp = options.warmup() > 0
        ? LoadRun.warmup(vertx, client, prepared, options).start(context)
        : Future.succeededFuture();
    long countStart = System.nanoTime();
    Future<Warmup> timed = warmedUp.compose(v -> {
      Warmup byCount = new Warmup((System.nanoTime() - countStart) / 1e9, options.warmup(), List.of());
      return options.warmupSeconds() > 0
          ? warmUpUntilSteady(vertx, client, prepared, options, context, byCount)
          : Future.succeededFuture(byCount);
    });
    Future<LoadResult> measured = timed.compose(w -> LoadRun.measured(vertx, client, prepared, options).start(context)
        .map(r -> r.withWarmup(w.seconds(), w.requests())));
    return measured.eventually(client::close);
  }

  /** What ran before the measurement: its time, its requests, and the rate of each window. */
  private record Warmup(double seconds, long requests, List<Double> rates) {
    Warmup plus(LoadResult window) {
      List<Double> more = new java.util.ArrayList<>(rates);
      more.add(window.durationSeconds() > 0 ? window.requests() / window.durationSeconds() : 0);
      return new Warmup(seconds + window.durationSeconds(), requests + window.requests(), more);
    }

    /** Enough requests for the JIT, and the last three windows within 10 % of each other. */
    boolean steady() {
      return io.modelserve.tools.impl.Steadiness.done(requests, rates);
    }
  }

  /**
   * Closed-loop windows of one second (or the whole warm-up when shorter) until the warm-up has
   * run its seconds and the rate has stopped moving, or ten times its seconds have passed: a
   * fresh JVM on either side, or a cold cluster, would otherwise be measured warming up.
   */
  private static Future<Warmup> warmUpUntilSteady(Vertx vertx, HttpClientAgent client, PreparedRequest prepared,
      LoadOptions options, Context context, Warmup soFar) {
    double min = options.warmupSeconds();
    double window = Math.min(1.0, min);
    return LoadRun.window(vertx, client, prepared, options, window).start(context).compose(r -> {
      Warmup w = soFar.plus(r);
      double timed = w.seconds();
      boolean enough = timed >= min && w.steady();
      // a window without one success (nothing listens, every answer an error) warms nothing up:
      // the measurement that follows reports it at once instead of after ten times the seconds
      boolean failing = r.ok() == 0;
      if (enough || failing || timed >= io.modelserve.tools.impl.Steadiness.MAX_FACTOR * min) {
        return Future.succeededFuture(w);
      }
      return warmUpUntilSteady(vertx, client, prepared, options, context, w);
    });
  }
}
