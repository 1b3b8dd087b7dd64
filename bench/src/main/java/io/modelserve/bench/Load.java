package io.modelserve.bench;

import io.modelserve.tools.LoadOptions;
import io.modelserve.tools.LoadResult;
import io.modelserve.tools.LoadTester;
import io.modelserve.tools.RequestSpec;
import java.nio.file.Path;

/**
 * The project's load tester as the scenarios call it, with the equivalent command line kept
 * for the report so every figure names the run that produced it.
 */
final class Load {

  private final RequestSpec spec;
  private final String cliRequest;

  private Load(RequestSpec spec, String cliRequest) {
    this.spec = spec;
    this.cliRequest = cliRequest;
  }

  static Load get(String url) {
    return new Load(RequestSpec.builder(url).build(), "--url " + url);
  }

  static Load upload(String url, String field, Path file) {
    return new Load(RequestSpec.builder(url).file(field, file).build(),
        "--url " + url + " --file " + field + "=" + file.getFileName());
  }

  /** Closed loop for {@code seconds} after {@code warmup} unrecorded requests. */
  LoadResult closed(int concurrency, double seconds, long warmup) {
    return LoadTester.run(LoadOptions.builder(spec).concurrency(concurrency)
        .durationSeconds(seconds).warmup(warmup).build());
  }

  /** Closed loop for exactly {@code requests} requests. */
  LoadResult count(int concurrency, long requests) {
    return LoadTester.run(LoadOptions.builder(spec).concurrency(concurrency).requests(requests).build());
  }

  /** Open loop at {@code rate} requests/s for {@code seconds}, latency from the scheduled send. */
  LoadResult open(double rate, int concurrency, double seconds, long warmup) {
    return LoadTester.run(LoadOptions.builder(spec).concurrency(concurrency).rate(rate)
        .durationSeconds(seconds).warmup(warmup).build());
  }

  String closedCommand(int concurrency, double seconds, long warmup) {
    return "LoadTester " + cliRequest + " -c " + concurrency + " --duration " + fmt(seconds)
        + (warmup > 0 ? " --warmup " + warmup : "");
  }

  String countCommand(int concurrency, long requests) {
    return "LoadTester " + cliRequest + " -c " + concurrency + " -n " + requests;
  }

  String openCommand(double rate, int concurrency, double seconds, long warmup) {
    return "LoadTester " + cliRequest + " --rate " + fmt(rate) + " -c " + concurrency
        + " --duration " + fmt(seconds) + (warmup > 0 ? " --warmup " + warmup : "");
  }

  /** Throws when a run had failures: a figure from a failing run would mean nothing. */
  static LoadResult checked(LoadResult r, String what) {
    if (r.failed() > 0 || r.ok() == 0) {
      throw new IllegalStateException(what + ": " + r.ok() + " ok, " + r.failed() + " failed "
          + r.failuresByKind());
    }
    return r;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? "" + (long) v : "" + v;
  }
}
