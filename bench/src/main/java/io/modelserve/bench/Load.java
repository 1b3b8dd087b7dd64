package io.modelserve.bench;

import io.modelserve.tools.LoadOptions;
import io.modelserve.tools.LoadResult;
import io.modelserve.tools.LoadTester;
import io.modelserve.tools.RequestSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

  /** POSTs the JSON in {@code body} (a file, so the equivalent command line stays short). */
  static Load postJson(String url, Path body) {
    return new Load(RequestSpec.builder(url).jsonFile(body).build(),
        "--url " + url + " --json-file " + body.getFileName());
  }

  /** Closed loop for {@code seconds} after {@code warmup} unrecorded requests. */
  LoadResult closed(int concurrency, double seconds, long warmup) {
    return LoadTester.run(LoadOptions.builder(spec).concurrency(concurrency)
        .durationSeconds(seconds).warmup(warmup).build());
  }

  /**
   * As {@link #closed}, after a warm-up by time: at least {@code settleSeconds} and 20,000
   * requests, and on while the rate still changes (three one-second windows within 10 %), at
   * most ten times as long.
   */
  LoadResult closedSettled(int concurrency, double seconds, double settleSeconds) {
    return LoadTester.run(LoadOptions.builder(spec).concurrency(concurrency)
        .durationSeconds(seconds).warmupSeconds(settleSeconds).build());
  }

  String closedSettledCommand(int concurrency, double seconds, double settleSeconds) {
    return "LoadTester " + cliRequest + " -c " + concurrency + " --duration " + fmt(seconds)
        + " --warmup-seconds " + fmt(settleSeconds);
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
    // the suite warms up by its own rounds: the command line's warm-up by time is off
    return "LoadTester " + cliRequest + " -c " + concurrency + " --duration " + fmt(seconds)
        + (warmup > 0 ? " --warmup " + warmup : "") + " --warmup-seconds 0";
  }

  String countCommand(int concurrency, long requests) {
    return "LoadTester " + cliRequest + " -c " + concurrency + " -n " + requests + " --warmup-seconds 0";
  }

  String openCommand(double rate, int concurrency, double seconds, long warmup) {
    return "LoadTester " + cliRequest + " --rate " + fmt(rate) + " -c " + concurrency
        + " --duration " + fmt(seconds) + (warmup > 0 ? " --warmup " + warmup : "") + " --warmup-seconds 0";
  }

  /**
   * Runs the load tester's command line in a JVM of its own, pinned to {@code cpus} unless
   * null: a separate process like wrk, so the two are compared on equal terms.
   */
  /** A fresh tester JVM warms up this long at least, and on until its rate is steady (at most 10 times). */
  static final int OWN_JVM_WARMUP_SECONDS = 2;

  LoadResult closedInOwnJvm(String cpus, int concurrency, double seconds, long warmup, Path jsonOut) {
    List<String> cmd = new ArrayList<>();
    if (cpus != null) {
      cmd.addAll(List.of("taskset", "-c", cpus));
    }
    cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LoadTester.class.getName()));
    cmd.addAll(List.of(cliRequest.split(" ")));
    cmd.addAll(List.of("-c", "" + concurrency, "--duration", fmt(seconds), "--warmup", "" + warmup,
        "--warmup-seconds", "" + OWN_JVM_WARMUP_SECONDS, "--json-out", jsonOut.toString()));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor((long) seconds + 120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("LoadTester failed:\n" + out);
      }
      return LoadResult.fromJson(Files.readString(jsonOut));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
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
