package io.modelserve.bench;

import java.util.List;

/**
 * JVM flags for the benchmark's processes. LocalCluster starts every node with flags tuned for
 * fast test start-up (C1 only, 256 MiB); a profile's flags come after those, and HotSpot keeps
 * the last value of a repeated flag, so a profile overrides them.
 *
 * <p>{@link #effectiveFlags()} is what a node ends up with; processes the suite starts itself
 * (the bare server, the in-process OCR loop) get exactly those, so both sides of a comparison
 * run on the same JVM settings.
 */
enum JvmProfile {

  /** Full tiered JIT (C2): the controller, the echo worker and the bare server under load. */
  FULL(List.of("-XX:TieredStopAtLevel=4", "-Xmx512m")),

  /** The OCR worker and its in-process baseline: full JIT and room for decoded images. */
  OCR(List.of("-XX:TieredStopAtLevel=4", "-Xmx1g")),

  /** Embedding workers and the in-process encoder loop they are compared with. */
  EMBEDDING(List.of("-XX:TieredStopAtLevel=4", "-Xmx1g")),

  /**
   * Simulated-model workers only sleep, so C1 is enough; small heaps let 16 of them share
   * the machine with the controller without swapping.
   */
  SMALL(List.of("-XX:TieredStopAtLevel=1", "-Xmx96m", "-XX:ReservedCodeCacheSize=32m"));

  /** LocalCluster's own defaults that a profile keeps (serial GC, small stacks). */
  private static final List<String> SHARED = List.of("-XX:+UseSerialGC", "-Xss512k");

  private final List<String> overrides;

  JvmProfile(List<String> overrides) {
    this.overrides = overrides;
  }

  /** Flags to add after LocalCluster's defaults. */
  String[] overrides() {
    return overrides.toArray(String[]::new);
  }

  /** The flags a node of this profile effectively runs with. */
  List<String> effectiveFlags() {
    return java.util.stream.Stream.concat(SHARED.stream(), overrides.stream()).toList();
  }
}
