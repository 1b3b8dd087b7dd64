package io.modelserve.bench;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a scenario gets: the settings, where to record, a scratch folder, and a register of
 * what it started, so the suite can stop those processes when the scenario runs out of time
 * even if its own thread is stuck.
 */
final class Run {

  final Settings settings;
  final Results results;
  final Path work;
  final String scenario;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  Run(Settings settings, Results results, Path work, String scenario) {
    this.settings = settings;
    this.results = results;
    this.work = work;
    this.scenario = scenario;
  }

  /** Registers {@code resource} to be closed when the scenario ends, however it ends. */
  synchronized <T extends AutoCloseable> T track(T resource) {
    started.push(resource);
    return resource;
  }

  /** Closes what the scenario started, newest first; safe to call twice. */
  void closeAll() {
    while (true) {
      AutoCloseable next;
      synchronized (this) {
        next = started.poll();
      }
      if (next == null) {
        return;
      }
      try {
        next.close();
      } catch (Exception e) {
        System.err.println("[bench] closing " + next + ": " + e);
      }
    }
  }

  void row(String figure, String ours, String baseline, String ratio, String target, Boolean met) {
    results.row(scenario, figure, ours, baseline, ratio, target, met);
  }

  void note(String line) {
    results.note(scenario, line);
  }

  void command(String command) {
    results.command(command);
  }

  void log(String line) {
    System.out.println("[bench] " + scenario + ": " + line);
  }
}
