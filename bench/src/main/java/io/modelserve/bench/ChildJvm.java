package io.modelserve.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the suite starts from its own class path (the bare server, the in-process OCR loop),
 * with a profile's flags, its output in a log file. Closing it kills it by its pid.
 */
final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final List<String> command;

  private ChildJvm(Process process, Path log, List<String> command) {
    this.process = process;
    this.log = log;
    this.command = command;
  }

  static ChildJvm start(JvmProfile profile, Path log, String mainClass, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(profile.effectiveFlags());
    cmd.add("-Dai.djl.offline=true");
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(List.of(args));
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
      pb.environment().put("OPT_OUT_TRACKING", "true");
      return new ChildJvm(pb.start(), log, cmd);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The command line, with the class path shortened, for the report. */
  String commandLine() {
    List<String> shown = new ArrayList<>(command);
    int cp = shown.indexOf("-cp");
    if (cp >= 0) {
      shown.set(cp + 1, "<bench class path>");
    }
    shown.set(0, "java");
    return String.join(" ", shown);
  }

  /** Waits for the JVM to exit and returns its output; fails on a non-zero exit or timeout. */
  String awaitOutput(long timeoutSeconds) {
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        close();
        throw new IllegalStateException("no exit within " + timeoutSeconds + " s; log " + log);
      }
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    String out = logText();
    if (process.exitValue() != 0) {
      throw new IllegalStateException("exit " + process.exitValue() + "; log " + log + ":\n" + out);
    }
    return out;
  }

  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
