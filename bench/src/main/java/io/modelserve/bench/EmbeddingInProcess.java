package io.modelserve.bench;

import io.modelserve.Settings;
import io.modelserve.examples.embedding.MiniLmEncoder;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The batching overhead baseline: the encoder the embedding worker serves, fed full batches in a
 * loop in one JVM with no server around it, as the worker's device thread would be fed if every
 * batch were full and cost nothing to gather, parse and answer.
 *
 * <p>Usage: {@code EmbeddingInProcess <warm-up batches> <seconds> <batch size> <sentence>}; prints
 * {@code RESULT <sentences> <seconds> <p50 ms per batch> <CPU seconds of this JVM over the loop>}.
 */
public final class EmbeddingInProcess {

  private EmbeddingInProcess() {}

  public static void main(String[] args) throws Exception {
    int warmup = Integer.parseInt(args[0]);
    double seconds = Double.parseDouble(args[1]);
    int batch = Integer.parseInt(args[2]);
    List<String> texts = Collections.nCopies(batch, args[3]);
    // the worker's settings: none given, so the same defaults (threads: one per core)
    try (MiniLmEncoder encoder = MiniLmEncoder.open(Settings.empty())) {
      for (int i = 0; i < warmup; i++) {
        encoder.embed(texts);
      }
      double[] ms = new double[1 << 16];
      int calls = 0;
      var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpuStart = os.getProcessCpuTime();
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      long now = start;
      while (now < end && calls < ms.length) {
        encoder.embed(texts);
        long t = System.nanoTime();
        ms[calls++] = (t - now) / 1e6;
        now = t;
      }
      double took = (now - start) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
      System.out.printf(Locale.ROOT, "RESULT %d %.4f %.3f %.4f%n", (long) calls * batch, took,
          Stats.median(java.util.Arrays.copyOf(ms, calls)), cpu);
    }
  }
}
