package io.modelserve.examples.embedding;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/** Vector arithmetic and fixtures the tests share. */
final class Vectors {

  /** Sentences of very different lengths, so that a batch of them is mostly padding. */
  static final List<String> TEXTS = List.of(
      "Hi",
      "A man is eating food.",
      "A man is eating a piece of bread.",
      "The new movie is awesome, and everybody in the cinema laughed from the beginning to the end.",
      "Stocks fell sharply on Tuesday after the central bank signalled that interest rates would stay"
          + " high for longer than markets had expected, dragging technology shares to their worst day"
          + " in months.");

  /** About 600 tokens: cut to the model's length, by LangChain4j and by us alike. */
  static final String LONG_TEXT = String.join(" ", java.util.Collections.nCopies(40,
      "The quick brown fox jumps over the lazy dog while unaffable zebras watch."));

  private Vectors() {}

  static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " and " + b.length);
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  static double norm(float[] a) {
    double sum = 0;
    for (float v : a) {
      sum += (double) v * v;
    }
    return Math.sqrt(sum);
  }

  /** OpenAI's base64 form back to floats: little-endian float32. */
  static float[] fromBase64(String text) {
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[bytes.remaining() / Float.BYTES];
    bytes.asFloatBuffer().get(out);
    return out;
  }
}
