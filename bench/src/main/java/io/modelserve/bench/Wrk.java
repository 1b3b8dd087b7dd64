package io.modelserve.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs Debian's {@code wrk} (closed loop, C) as an independent check of the project's tester. */
final class Wrk {

  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern PCT = Pattern.compile("^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
  private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)|Socket errors: (.*)");

  record Result(double rps, double p50Ms, double p99Ms, String output) {}

  private Wrk() {}

  static boolean available() {
    try {
      Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor(10, TimeUnit.SECONDS);
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The wrk command line, pinned with taskset to {@code cpus} unless that is null. */
  static List<String> command(String cpus, int threads, int connections, int seconds, String url) {
    return command(cpus, threads, connections, seconds, url, null);
  }

  /** As {@link #command(String, int, int, int, String)}, with a Lua {@code script} unless null. */
  static List<String> command(String cpus, int threads, int connections, int seconds, String url, Path script) {
    List<String> cmd = new ArrayList<>();
    if (cpus != null) {
      cmd.addAll(List.of("taskset", "-c", cpus));
    }
    cmd.addAll(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency"));
    if (script != null) {
      cmd.addAll(List.of("-s", script.toString()));
    }
    cmd.add(url);
    return cmd;
  }

  /**
   * Writes a wrk script that POSTs {@code json} with its content type: wrk itself only GETs.
   * The JSON goes into a Lua long string, which takes it verbatim.
   */
  static Path postJsonScript(Path file, String json) throws IOException {
    if (json.contains("]==]")) {
      throw new IllegalArgumentException("the body cannot hold ]==]");
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, "wrk.method = \"POST\"\n"
        + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
        + "wrk.body = [==[" + json + "]==]\n");
    return file;
  }

  static Result run(String cpus, int threads, int connections, int seconds, String url) {
    return run(cpus, threads, connections, seconds, url, null);
  }

  static Result run(String cpus, int threads, int connections, int seconds, String url, Path script) {
    List<String> cmd = command(cpus, threads, connections, seconds, url, script);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("wrk failed:\n" + out);
      }
      Matcher errors = ERRORS.matcher(out);
      if (errors.find()) {
        throw new IllegalStateException("wrk saw errors: " + errors.group() + "\n" + out);
      }
      Matcher rps = RPS.matcher(out);
      if (!rps.find()) {
        throw new IllegalStateException("no Requests/sec in wrk output:\n" + out);
      }
      double p50 = Double.NaN;
      double p99 = Double.NaN;
      Matcher m = PCT.matcher(out);
      while (m.find()) {
        double ms = Double.parseDouble(m.group(2)) * switch (m.group(3)) {
          case "us" -> 0.001;
          case "s" -> 1000;
          default -> 1;
        };
        if (m.group(1).equals("50")) {
          p50 = ms;
        } else {
          p99 = ms;
        }
      }
      return new Result(Double.parseDouble(rps.group(1)), p50, p99, out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run wrk: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
