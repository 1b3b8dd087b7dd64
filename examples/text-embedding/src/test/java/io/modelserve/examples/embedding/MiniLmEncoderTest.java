package io.modelserve.examples.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.modelserve.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The encoder in-process against LangChain4j's own AllMiniLmL6V2EmbeddingModel. */
class MiniLmEncoderTest {

  static MiniLmEncoder encoder;
  static AllMiniLmL6V2EmbeddingModel reference;

  @BeforeAll
  static void open() throws Exception {
    encoder = MiniLmEncoder.open(Settings.empty());
    reference = new AllMiniLmL6V2EmbeddingModel();
  }

  @AfterAll
  static void close() {
    if (encoder != null) {
      encoder.close();
    }
  }

  @Test
  void aPaddedBatchOfShortAndLongTextsGivesLangChain4jsVectorsAndTokenCounts() throws Exception {
    List<String> texts = new ArrayList<>(Vectors.TEXTS);
    texts.add(Vectors.LONG_TEXT);
    List<MiniLmEncoder.Embedding> ours = encoder.embed(texts);
    assertEquals(texts.size(), ours.size());
    for (int i = 0; i < texts.size(); i++) {
      Response<Embedding> theirs = reference.embed(texts.get(i));
      float[] v = ours.get(i).vector();
      assertEquals(MiniLmEncoder.DIMENSIONS, v.length);
      assertEquals(1.0, Vectors.norm(v), 1e-5, "unit length, text " + i);
      double cos = Vectors.cosine(v, theirs.content().vector());
      assertTrue(cos >= 0.9999, "text " + i + ": cosine " + cos);
      assertEquals(theirs.tokenUsage().inputTokenCount(), ours.get(i).tokens(), "tokens of text " + i);
    }
  }

  @Test
  void aLongTextIsCutTo128TokensAsLangChain4jCutsItAndSaysSo() throws Exception {
    List<MiniLmEncoder.Embedding> ours = encoder.embed(List.of(Vectors.LONG_TEXT, "A man is eating food."));
    assertEquals(MiniLmEncoder.DEFAULT_MAX_TOKENS - 2, ours.get(0).tokens(), "[CLS] and [SEP] not counted");
    assertTrue(ours.get(0).truncated());
    assertFalse(ours.get(1).truncated());
    // whatever follows the first 128 tokens changes nothing
    float[] longer = encoder.embed(List.of(Vectors.LONG_TEXT + " Completely different words about finance"))
        .get(0).vector();
    assertTrue(Vectors.cosine(ours.get(0).vector(), longer) > 0.999999);
  }

  @Test
  void aTextsVectorDoesNotDependOnItsBatchOrOnHowTheBatchIsSplit() throws Exception {
    List<MiniLmEncoder.Embedding> together = encoder.embed(Vectors.TEXTS);
    try (MiniLmEncoder twoPerRun = MiniLmEncoder.open(Settings.of(Map.of("batch-sentences", "2")))) {
      List<MiniLmEncoder.Embedding> split = twoPerRun.embed(Vectors.TEXTS);
      for (int i = 0; i < Vectors.TEXTS.size(); i++) {
        float[] alone = encoder.embed(List.of(Vectors.TEXTS.get(i))).get(0).vector();
        assertTrue(Vectors.cosine(alone, together.get(i).vector()) > 0.99999, "text " + i + " in a batch");
        assertTrue(Vectors.cosine(alone, split.get(i).vector()) > 0.99999, "text " + i + " in runs of 2");
        assertEquals(together.get(i).tokens(), split.get(i).tokens());
      }
    }
  }

  @Test
  void maxTokensSettingCutsElsewhere() throws Exception {
    try (MiniLmEncoder longer = MiniLmEncoder.open(Settings.of(Map.of("max-tokens", "256")))) {
      MiniLmEncoder.Embedding e = longer.embed(List.of(Vectors.LONG_TEXT)).get(0);
      assertEquals(256 - 2, e.tokens());
      assertTrue(e.truncated());
      float[] at128 = encoder.embed(List.of(Vectors.LONG_TEXT)).get(0).vector();
      assertTrue(Vectors.cosine(at128, e.vector()) < 0.999999, "256 tokens embed more of the text");
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MiniLmEncoder.open(Settings.of(Map.of("max-tokens", "513"))));
    assertTrue(e.getMessage().contains("max-tokens"), e.getMessage());
  }

  @Test
  void aTextWithNoTokenIsRefusedByIndex() {
    MiniLmEncoder.EmptyTextException e = assertThrows(MiniLmEncoder.EmptyTextException.class,
        () -> encoder.embed(List.of("fine", "\u0000\u0001", "also fine")));
    assertEquals(1, e.index());
  }

  @Test
  void textsBeyondOneTokenizerSliceKeepTheirPlacesAndIndexes() throws Exception {
    int slice = MiniLmEncoder.TOKENIZE_SLICE;
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < slice + 3; i++) {
      texts.add("number " + i);
    }
    texts.set(slice + 1, Vectors.TEXTS.get(3));
    List<MiniLmEncoder.Embedding> out = encoder.embed(texts);
    assertEquals(texts.size(), out.size());
    for (int i : new int[] {5, slice - 1, slice + 1, slice + 2}) {
      float[] alone = encoder.embed(List.of(texts.get(i))).get(0).vector();
      assertTrue(Vectors.cosine(alone, out.get(i).vector()) > 0.99999, "text " + i);
    }
    texts.set(slice + 2, "\u0000");
    MiniLmEncoder.EmptyTextException e = assertThrows(MiniLmEncoder.EmptyTextException.class,
        () -> encoder.embed(texts));
    assertEquals(slice + 2, e.index());
  }

  @Test
  void aGpuIndexWithOnnxRuntimesCpuBuildRunsOnTheCpuAndSaysWhy() throws Exception {
    try (MiniLmEncoder onGpu0 = MiniLmEncoder.open("0", Settings.empty())) {
      assertTrue(onGpu0.device().startsWith("CPU (GPU 0 requested"), onGpu0.device());
      assertEquals(MiniLmEncoder.DIMENSIONS, onGpu0.embed(List.of("still embeds")).get(0).vector().length);
    }
    assertEquals("CPU", encoder.device());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MiniLmEncoder.open("gpu", Settings.empty()));
    assertTrue(e.getMessage().contains("--device"), e.getMessage());
  }

  @Test
  void quantizedSettingGivesLangChain4jsQuantizedVectorsOneTextPerRun() throws Exception {
    AllMiniLmL6V2QuantizedEmbeddingModel quantized = new AllMiniLmL6V2QuantizedEmbeddingModel();
    List<String> texts = new ArrayList<>(Vectors.TEXTS);
    texts.add(Vectors.LONG_TEXT);
    try (MiniLmEncoder q = MiniLmEncoder.open(Settings.of(Map.of("quantized", "true")))) {
      assertEquals(MiniLmEncoder.QUANTIZED_MODEL_NAME, q.modelName());
      assertEquals(1, q.batchSentences(), "int8 vectors depend on their batch");
      List<MiniLmEncoder.Embedding> ours = q.embed(texts);
      for (int i = 0; i < texts.size(); i++) {
        double cos = Vectors.cosine(ours.get(i).vector(), quantized.embed(texts.get(i)).content().vector());
        assertTrue(cos >= 0.9999, "cosine " + cos + " for text " + i);
      }
    }
    // what batching would cost the int8 model (printed, not asserted: see the README)
    try (MiniLmEncoder batched = MiniLmEncoder.open(Settings.of(Map.of("quantized", "true",
        "batch-sentences", "64")))) {
      List<MiniLmEncoder.Embedding> ours = batched.embed(texts);
      for (int i = 0; i < texts.size(); i++) {
        System.out.printf("int8 in one padded batch vs LangChain4j's int8: cosine %.6f, text %d%n",
            Vectors.cosine(ours.get(i).vector(), quantized.embed(texts.get(i)).content().vector()), i);
      }
    }
  }
}
