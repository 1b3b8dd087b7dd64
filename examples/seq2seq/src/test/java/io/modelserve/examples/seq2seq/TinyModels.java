package io.modelserve.examples.seq2seq;

import static io.modelserve.examples.seq2seq.OnnxWriter.BOOL;
import static io.modelserve.examples.seq2seq.OnnxWriter.FLOAT;
import static io.modelserve.examples.seq2seq.OnnxWriter.INT64;
import static io.modelserve.examples.seq2seq.OnnxWriter.graphAttr;
import static io.modelserve.examples.seq2seq.OnnxWriter.intAttr;
import static io.modelserve.examples.seq2seq.OnnxWriter.intsAttr;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelserve.examples.seq2seq.OnnxWriter.Graph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes tiny stand-ins for the real models, with the same file names and the same input and
 * output names as Optimum's exports, and deterministic behaviour that tests can assert exactly.
 *
 * <ul>
 *   <li>{@link #writeT5}: like flan-t5-base. The encoder's hidden state is the one-hot of each
 *       token; the merged decoder emits, at decoder position p, a word-for-word "translation" of
 *       encoder token p (English → German, the task prefix → {@code <pad>}, which decoding skips),
 *       so the input's final {@code </s>} ends generation. Position p is read from the length of
 *       the self-attention cache and the word from the cross-attention cache, so a generator that
 *       mishandles either cache emits the wrong text.
 *   <li>{@link #writeCaptioner}: like vit-gpt2-image-captioning. The encoder averages each colour
 *       channel; the decoder spells "a red square", "a green field" or "a blue sky" after the
 *       dominant channel, one word per cache position, then end-of-text.
 * </ul>
 *
 * Both caches grow as real ones do: {@code present = Concat(past, new)} along the sequence axis
 * inside the {@code use_cache_branch} If, as in Optimum's merged decoders.
 */
public final class TinyModels {

  public static final List<String> T5_VOCAB = List.of("<pad>", "</s>", "<unk>", "translate", "English",
      "to", "German:", "How", "old", "are", "you?", "Wie", "alt", "bist", "du?", "hello", "world", "hallo",
      "welt", "a", "b", "c", "d", "e");
  private static final Map<String, String> T5_TRANSLATION = Map.of("How", "Wie", "old", "alt", "are", "bist",
      "you?", "du?", "hello", "hallo", "world", "welt", "translate", "<pad>", "English", "<pad>", "to", "<pad>",
      "German:", "<pad>");
  public static final int T5_LAYERS = 2;
  private static final int T5_HEADS = 2;

  public static final List<String> CAPTION_VOCAB = List.of("<|endoftext|>", "a", "red", "green", "blue",
      "square", "field", "sky", "photo", "of");
  private static final String[][] CAPTIONS = {{"a", "red", "square"}, {"a", "green", "field"}, {"a", "blue", "sky"}};
  private static final int CAPTION_POSITIONS = 6;
  public static final int CAPTION_LAYERS = 2;

  private static final ObjectMapper JSON = new ObjectMapper();

  private TinyModels() {}

  /** Writes the tiny models under {@code <dir>/tiny-t5} and {@code <dir>/tiny-captioner}. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/tiny-models");
    System.out.println(writeT5(dir.resolve("tiny-t5")));
    System.out.println(writeCaptioner(dir.resolve("tiny-captioner")));
  }

  public static Path writeT5(Path dir) throws IOException {
    Files.createDirectories(dir);
    int v = T5_VOCAB.size();
    int dk = v / T5_HEADS;
    Files.write(dir.resolve("encoder_model.onnx"), OnnxWriter.model(t5Encoder(v)));
    Files.write(dir.resolve("decoder_model_merged.onnx"), OnnxWriter.model(t5Decoder(v, dk)));
    writeJson(dir.resolve("tokenizer.json"), wordLevelTokenizer(T5_VOCAB, List.of("<pad>", "</s>", "<unk>"), "</s>"));
    writeJson(dir.resolve("config.json"), Map.of("model_type", "t5", "decoder_start_token_id", 0, "eos_token_id", 1,
        "pad_token_id", 0, "num_heads", T5_HEADS, "d_kv", dk, "d_model", v, "num_layers", T5_LAYERS));
    writeJson(dir.resolve("generation_config.json"),
        Map.of("decoder_start_token_id", 0, "eos_token_id", 1, "pad_token_id", 0));
    return dir;
  }

  public static Path writeCaptioner(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("encoder_model.onnx"), OnnxWriter.model(captionEncoder()));
    Files.write(dir.resolve("decoder_model_merged.onnx"), OnnxWriter.model(captionDecoder()));
    writeJson(dir.resolve("tokenizer.json"), wordLevelTokenizer(CAPTION_VOCAB, List.of("<|endoftext|>"), null));
    writeJson(dir.resolve("config.json"), Map.of("model_type", "vision-encoder-decoder",
        "decoder_start_token_id", 0, "eos_token_id", 0, "pad_token_id", 0,
        "decoder", Map.of("model_type", "gpt2", "n_head", 2, "n_embd", 4)));
    writeJson(dir.resolve("generation_config.json"), Map.of("bos_token_id", 0, "decoder_start_token_id", 0,
        "eos_token_id", 0));
    writeJson(dir.resolve("preprocessor_config.json"), Map.of("do_normalize", true, "do_resize", true,
        "image_mean", List.of(0.5, 0.5, 0.5), "image_std", List.of(0.5, 0.5, 0.5),
        "size", Map.of("height", 32, "width", 32), "rescale_factor", 1 / 255.0));
    return dir;
  }

  private static Graph t5Encoder(int v) {
    return new Graph("encoder")
        .input("input_ids", INT64, "batch_size", "encoder_sequence_length")
        .input("attention_mask", INT64, "batch_size", "encoder_sequence_length")
        .floats("embedding", new long[] {v, v}, identity(v))
        .longs("last_axis", new long[] {1}, -1)
        .op("Gather", "embedded", new String[] {"embedding", "input_ids"})
        .op("Cast", "mask_float", new String[] {"attention_mask"}, intAttr("to", FLOAT))
        .op("Unsqueeze", "mask_3d", new String[] {"mask_float", "last_axis"})
        .op("Mul", "last_hidden_state", new String[] {"embedded", "mask_3d"})
        .output("last_hidden_state", FLOAT, "batch_size", "encoder_sequence_length", (long) v);
  }

  private static Graph t5Decoder(int v, int dk) {
    Graph g = new Graph("decoder")
        .input("encoder_attention_mask", INT64, "batch_size", "encoder_sequence_length")
        .input("input_ids", INT64, "batch_size", "decoder_sequence_length")
        .input("encoder_hidden_states", FLOAT, "batch_size", "encoder_sequence_length", (long) v);
    List<String> presents = new ArrayList<>();
    for (int i = 0; i < T5_LAYERS; i++) {
      for (String part : List.of("decoder.key", "decoder.value", "encoder.key", "encoder.value")) {
        String seq = part.startsWith("decoder") ? "past_decoder_sequence_length" : "encoder_sequence_length_out";
        g.input("past_key_values." + i + "." + part, FLOAT, "batch_size", (long) T5_HEADS, seq, (long) dk);
        presents.add("present." + i + "." + part);
      }
    }
    g.input("use_cache_branch", BOOL, 1L)
        .floats("decoder_embedding", new long[] {v, v}, identity(v))
        .floats("lm_head", new long[] {v, v}, translation(v))
        .longs("to_heads", new long[] {4}, 0, -1, T5_HEADS, dk)
        .longs("to_flat", new long[] {3}, 0, -1, v)
        .longs("mask_axes", new long[] {2}, 1, 3)
        // per-step key/value of the new tokens: [batch, heads, new tokens, dk]
        .op("Gather", "new_embedded", new String[] {"decoder_embedding", "input_ids"})
        .op("Reshape", "new_split", new String[] {"new_embedded", "to_heads"})
        .op("Transpose", "new_kv", new String[] {"new_split"}, intsAttr("perm", 0, 2, 1, 3))
        // cross-attention key/value, computed only on the uncached branch
        .op("Reshape", "enc_split", new String[] {"encoder_hidden_states", "to_heads"})
        .op("Transpose", "enc_kv_raw", new String[] {"enc_split"}, intsAttr("perm", 0, 2, 1, 3))
        .op("Cast", "enc_mask_float", new String[] {"encoder_attention_mask"}, intAttr("to", FLOAT))
        .op("Unsqueeze", "enc_mask_4d", new String[] {"enc_mask_float", "mask_axes"})
        .op("Mul", "enc_kv", new String[] {"enc_kv_raw", "enc_mask_4d"});

    Graph cached = new Graph("with_past");
    Graph uncached = new Graph("without_past");
    for (int i = 0; i < T5_LAYERS; i++) {
      for (String part : List.of("decoder.key", "decoder.value", "encoder.key", "encoder.value")) {
        String past = "past_key_values." + i + "." + part;
        String out = i + "_" + part.replace('.', '_');
        if (part.startsWith("decoder")) {
          cached.op("Concat", "cached_" + out, new String[] {past, "new_kv"}, intAttr("axis", 2));
          uncached.op("Identity", "uncached_" + out, new String[] {"new_kv"});
        } else {
          cached.op("Identity", "cached_" + out, new String[] {past});
          uncached.op("Identity", "uncached_" + out, new String[] {"enc_kv"});
        }
        cached.output("cached_" + out, FLOAT);
        uncached.output("uncached_" + out, FLOAT);
      }
    }
    g.node("If", new String[] {"use_cache_branch"}, presents.toArray(String[]::new),
        graphAttr("then_branch", cached), graphAttr("else_branch", uncached));

    String last = "present." + (T5_LAYERS - 1) + ".encoder.key";
    positions(g, "present.0.decoder.key", last, null);
    return g
        .op("Transpose", "cross_split", new String[] {last}, intsAttr("perm", 0, 2, 1, 3))
        .op("Reshape", "cross_rows", new String[] {"cross_split", "to_flat"})
        .op("Gather", "rows", new String[] {"cross_rows", "clamped"}, intAttr("axis", 1))
        .op("MatMul", "logits", new String[] {"rows", "lm_head"})
        .output("logits", FLOAT, "batch_size", "decoder_sequence_length", (long) v)
        .outputs(presents, FLOAT, "batch_size", (long) T5_HEADS, "present_sequence_length", (long) dk);
  }

  /**
   * Adds {@code clamped}: the decoder position of each input token, {@code cache length - new
   * tokens + i}, clamped to the last row of {@code rowsOf} (axis 2) or to {@code lastRow}.
   */
  private static void positions(Graph g, String cache, String rowsOf, Long lastRow) {
    g.longs("one", new long[] {}, 1)
        .op("Shape", "total_1d", new String[] {cache}, intAttr("start", 2), intAttr("end", 3))
        .op("Shape", "new_1d", new String[] {"input_ids"}, intAttr("start", 1), intAttr("end", 2))
        .op("Sub", "first_1d", new String[] {"total_1d", "new_1d"})
        .op("Squeeze", "first", new String[] {"first_1d"})
        .op("Squeeze", "total", new String[] {"total_1d"})
        .op("Range", "positions", new String[] {"first", "total", "one"});
    if (lastRow != null) {
      g.longs("last_row", new long[] {}, lastRow);
    } else {
      g.op("Shape", "rows_1d", new String[] {rowsOf}, intAttr("start", 2), intAttr("end", 3))
          .op("Sub", "last_row", new String[] {"rows_1d", "one"});
    }
    g.op("Min", "clamped", new String[] {"positions", "last_row"});
  }

  private static Graph captionEncoder() {
    return new Graph("encoder")
        .input("pixel_values", FLOAT, "batch_size", 3L, "height", "width")
        .longs("to_tokens", new long[] {3}, 0, 1, 3)
        .op("ReduceMean", "channel_means", new String[] {"pixel_values"}, intsAttr("axes", 2, 3),
            intAttr("keepdims", 0))
        .op("Reshape", "last_hidden_state", new String[] {"channel_means", "to_tokens"})
        .output("last_hidden_state", FLOAT, "batch_size", 1L, 3L);
  }

  private static Graph captionDecoder() {
    int v = CAPTION_VOCAB.size();
    Graph g = new Graph("decoder")
        .input("input_ids", INT64, "batch_size", "decoder_sequence_length")
        .input("encoder_hidden_states", FLOAT, "batch_size", "encoder_sequence_length", 3L);
    List<String> presents = new ArrayList<>();
    for (int i = 0; i < CAPTION_LAYERS; i++) {
      for (String part : List.of("key", "value")) {
        g.input("past_key_values." + i + "." + part, FLOAT, "batch_size", 2L, "past_sequence_length", 2L);
        presents.add("present." + i + "." + part);
      }
    }
    float[] embedding = new float[v * 4];
    for (int i = 0; i < embedding.length; i++) {
      embedding[i] = (i % 7) / 7f;
    }
    g.input("use_cache_branch", BOOL, 1L)
        .floats("decoder_embedding", new long[] {v, 4}, embedding)
        .floats("captions", new long[] {3, (long) CAPTION_POSITIONS * v}, captionTable(v))
        .floats("sharpness", new long[] {}, new float[] {20f})
        .longs("to_heads", new long[] {4}, 0, -1, 2, 2)
        .longs("to_colours", new long[] {2}, 0, 3)
        .longs("to_table", new long[] {3}, 0, CAPTION_POSITIONS, v)
        .op("Gather", "new_embedded", new String[] {"decoder_embedding", "input_ids"})
        .op("Reshape", "new_split", new String[] {"new_embedded", "to_heads"})
        .op("Transpose", "new_kv", new String[] {"new_split"}, intsAttr("perm", 0, 2, 1, 3));
    Graph cached = new Graph("with_past");
    Graph uncached = new Graph("without_past");
    for (String present : presents) {
      String past = "past_key_values." + present.substring("present.".length());
      String out = present.substring("present.".length()).replace('.', '_');
      cached.op("Concat", "cached_" + out, new String[] {past, "new_kv"}, intAttr("axis", 2)).output("cached_" + out, FLOAT);
      uncached.op("Identity", "uncached_" + out, new String[] {"new_kv"}).output("uncached_" + out, FLOAT);
    }
    g.node("If", new String[] {"use_cache_branch"}, presents.toArray(String[]::new),
        graphAttr("then_branch", cached), graphAttr("else_branch", uncached));
    positions(g, "present.0.key", null, (long) CAPTION_POSITIONS - 1);
    return g
        .op("Reshape", "colours", new String[] {"encoder_hidden_states", "to_colours"})
        .op("Mul", "sharpened", new String[] {"colours", "sharpness"})
        .op("Softmax", "weights", new String[] {"sharpened"}, intAttr("axis", -1))
        .op("MatMul", "table_flat", new String[] {"weights", "captions"})
        .op("Reshape", "table", new String[] {"table_flat", "to_table"})
        .op("Gather", "logits", new String[] {"table", "clamped"}, intAttr("axis", 1))
        .output("logits", FLOAT, "batch_size", "decoder_sequence_length", (long) v)
        .outputs(presents, FLOAT, "batch_size", 2L, "present_sequence_length", 2L);
  }

  private static float[] captionTable(int v) {
    float[] table = new float[CAPTIONS.length * CAPTION_POSITIONS * v];
    for (int colour = 0; colour < CAPTIONS.length; colour++) {
      for (int p = 0; p < CAPTION_POSITIONS; p++) {
        String word = p < CAPTIONS[colour].length ? CAPTIONS[colour][p] : "<|endoftext|>";
        table[(colour * CAPTION_POSITIONS + p) * v + CAPTION_VOCAB.indexOf(word)] = 1f;
      }
    }
    return table;
  }

  private static float[] identity(int n) {
    float[] m = new float[n * n];
    for (int i = 0; i < n; i++) {
      m[i * n + i] = 1f;
    }
    return m;
  }

  /** lm_head rows: encoder word → the word to emit (itself unless translated). */
  private static float[] translation(int v) {
    float[] m = new float[v * v];
    for (int i = 0; i < v; i++) {
      String word = T5_VOCAB.get(i);
      m[i * v + T5_VOCAB.indexOf(T5_TRANSLATION.getOrDefault(word, word))] = 1f;
    }
    return m;
  }

  /** A WordLevel tokenizer.json split on whitespace, optionally appending {@code eos} like T5. */
  private static Map<String, Object> wordLevelTokenizer(List<String> vocab, List<String> special, String eos) {
    Map<String, Integer> ids = new LinkedHashMap<>();
    vocab.forEach(w -> ids.put(w, ids.size()));
    List<Map<String, Object>> added = new ArrayList<>();
    for (String s : special) {
      added.add(Map.of("id", ids.get(s), "content", s, "single_word", false, "lstrip", false, "rstrip", false,
          "normalized", false, "special", true));
    }
    Map<String, Object> tokenizer = new LinkedHashMap<>();
    tokenizer.put("version", "1.0");
    tokenizer.put("truncation", null);
    tokenizer.put("padding", null);
    tokenizer.put("added_tokens", added);
    tokenizer.put("normalizer", null);
    tokenizer.put("pre_tokenizer", Map.of("type", "WhitespaceSplit"));
    if (eos != null) {
      Map<String, Object> a = Map.of("Sequence", Map.of("id", "A", "type_id", 0));
      Map<String, Object> b = Map.of("Sequence", Map.of("id", "B", "type_id", 0));
      Map<String, Object> e = Map.of("SpecialToken", Map.of("id", eos, "type_id", 0));
      tokenizer.put("post_processor", Map.of("type", "TemplateProcessing", "single", List.of(a, e),
          "pair", List.of(a, e, b, e),
          "special_tokens", Map.of(eos, Map.of("id", eos, "ids", List.of(ids.get(eos)), "tokens", List.of(eos)))));
    } else {
      tokenizer.put("post_processor", null);
    }
    tokenizer.put("decoder", null);
    tokenizer.put("model", Map.of("type", "WordLevel", "vocab", ids, "unk_token", special.get(special.size() - 1)));
    return tokenizer;
  }

  private static void writeJson(Path file, Object value) throws IOException {
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), value);
  }
}
