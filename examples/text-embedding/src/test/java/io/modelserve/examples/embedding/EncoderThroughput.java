package io.modelserve.examples.embedding;

import io.modelserve.Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints in-process sentences per second at several batch sizes: what batching gains on this
 * machine, before any serving. Not a test (nothing asserted); the bench compares the cluster.
 *
 * <pre>
 * java -cp "examples/text-embedding/target/test-classes:examples/text-embedding/target/classes:$(cat examples/text-embedding/target/classpath.txt)" \
 *   io.modelserve.examples.embedding.EncoderThroughput [seconds-per-size [setting=value ...]]
 * </pre>
 */
public final class EncoderThroughput {

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    java.util.Map<String, String> settings = new java.util.TreeMap<>();
    for (int i = 1; i < args.length; i++) {
      settings.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
    }
    List<String> sentences = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      sentences.add(Vectors.TEXTS.get(1 + i % (Vectors.TEXTS.size() - 1)) + " (" + i + ")");
    }
    try (MiniLmEncoder encoder = MiniLmEncoder.open(Settings.of(settings))) {
      encoder.embed(sentences.subList(0, 32)); // warm-up
      for (int batch : new int[] {1, 8, 32, 1, 32}) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        int done = 0;
        while (System.nanoTime() < end) {
          int from = done % (sentences.size() - batch);
          encoder.embed(sentences.subList(from, from + batch));
          done += batch;
        }
        double rate = done / ((System.nanoTime() - start) / 1e9);
        System.out.printf("%s, batch %2d: %7.1f sentences/s%n", encoder.modelName(), batch, rate);
      }
    }
  }
}
