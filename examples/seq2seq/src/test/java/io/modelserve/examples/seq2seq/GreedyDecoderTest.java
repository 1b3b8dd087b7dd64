package io.modelserve.examples.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GreedyDecoderTest {

  @TempDir static Path dir;
  static EncoderDecoder t5;
  static EncoderDecoder captioner;

  @BeforeAll
  static void load() throws Exception {
    t5 = EncoderDecoder.load(TinyModels.writeT5(dir.resolve("t5")), "cpu");
    captioner = EncoderDecoder.load(TinyModels.writeCaptioner(dir.resolve("captioner")), "cpu");
  }

  @AfterAll
  static void close() throws Exception {
    if (t5 != null) {
      t5.close();
    }
    if (captioner != null) {
      captioner.close();
    }
  }

  @Test
  void discoversEveryCacheEntryFromTheSession() {
    assertEquals(4 * TinyModels.T5_LAYERS, t5.decoder().cacheEntries());
    assertEquals(2 * TinyModels.CAPTION_LAYERS, captioner.decoder().cacheEntries());
  }

  @Test
  void t5DecodesThroughBothCachesUntilEndOfSequence() throws Exception {
    List<Long> streamed = new ArrayList<>();
    long[] out = generateT5(List.of("translate", "English", "to", "German:", "How", "old", "are", "you?", "</s>"), 50,
        streamed);
    assertArrayEquals(ids("<pad>", "<pad>", "<pad>", "<pad>", "Wie", "alt", "bist", "du?"), out);
    assertEquals(out.length, streamed.size());
  }

  @Test
  void t5StopsAtMaxNewTokens() throws Exception {
    long[] out = generateT5(List.of("hello", "world", "a", "b", "</s>"), 3, null);
    assertArrayEquals(ids("hallo", "welt", "a"), out);
  }

  @Test
  void t5StopsAtOnceWhenTheFirstTokenIsEndOfSequence() throws Exception {
    assertEquals(0, generateT5(List.of("</s>"), 10, null).length);
  }

  @Test
  void captionerNamesTheDominantColour() throws Exception {
    assertEquals(List.of("a", "red", "square"), caption(0));
    assertEquals(List.of("a", "green", "field"), caption(1));
    assertEquals(List.of("a", "blue", "sky"), caption(2));
  }

  @Test
  void captionerHonoursMaxNewTokens() throws Exception {
    try (OnnxTensor pixels = pixels(2)) {
      long[] out = captioner.generate(Map.of("pixel_values", pixels), null, 2, null);
      assertEquals(2, out.length);
    }
  }

  private static long[] generateT5(List<String> words, int maxNew, List<Long> streamed) throws OrtException {
    long[] input = ids(words.toArray(String[]::new));
    long[] mask = new long[input.length];
    java.util.Arrays.fill(mask, 1);
    try (OnnxTensor ids = OnnxTensor.createTensor(t5.env(), LongBuffer.wrap(input), new long[] {1, input.length});
        OnnxTensor m = OnnxTensor.createTensor(t5.env(), LongBuffer.wrap(mask), new long[] {1, mask.length})) {
      return t5.generate(Map.of("input_ids", ids, "attention_mask", m), mask, maxNew,
          streamed == null ? null : streamed::add);
    }
  }

  private static List<String> caption(int channel) throws OrtException {
    try (OnnxTensor pixels = pixels(channel)) {
      long[] out = captioner.generate(Map.of("pixel_values", pixels), null, 20, null);
      List<String> words = new ArrayList<>();
      for (long id : out) {
        words.add(TinyModels.CAPTION_VOCAB.get((int) id));
      }
      assertTrue(words.size() < 20);
      return words;
    }
  }

  /** A normalised 8x8 image whose {@code channel} is full and the others empty. */
  private static OnnxTensor pixels(int channel) throws OrtException {
    int side = 8;
    float[] data = new float[3 * side * side];
    for (int c = 0; c < 3; c++) {
      java.util.Arrays.fill(data, c * side * side, (c + 1) * side * side, c == channel ? 1f : -1f);
    }
    return OnnxTensor.createTensor(captioner.env(), FloatBuffer.wrap(data), new long[] {1, 3, side, side});
  }

  private static long[] ids(String... words) {
    long[] ids = new long[words.length];
    for (int i = 0; i < words.length; i++) {
      ids[i] = TinyModels.T5_VOCAB.indexOf(words[i]);
    }
    return ids;
  }
}
