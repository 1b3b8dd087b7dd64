package io.modelserve.examples.seq2seq;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Greedy decoding over an ONNX decoder as Hugging Face Optimum exports it, driven only by the
 * names the session declares, so any layer count and either cache layout works:
 *
 * <ul>
 *   <li>a merged decoder ({@code decoder_model_merged.onnx}): inputs {@code input_ids}, {@code
 *       encoder_hidden_states}, {@code past_key_values.*} and {@code use_cache_branch}; outputs
 *       {@code logits} and a {@code present.*} for every {@code past_key_values.*}. The first step
 *       feeds zero-length caches with the branch off; every later step feeds one token and the
 *       previous step's presents. Cross-attention entries ({@code .encoder.}) are computed once
 *       from the first step and kept, as the cached branch does not recompute them.
 *   <li>a decoder without cache ({@code decoder_model.onnx}, e.g. the BLIP export): the whole
 *       sequence is fed at every step.
 * </ul>
 *
 * Optional inputs {@code encoder_attention_mask}, {@code attention_mask} and {@code position_ids}
 * are filled when declared. Not thread-safe; one generation at a time (sessions themselves are).
 */
public final class GreedyDecoder {

  private static final String PAST = "past_key_values.";
  private static final String PRESENT = "present.";
  private static final Set<String> KNOWN = Set.of("input_ids", "encoder_hidden_states",
      "encoder_attention_mask", "attention_mask", "position_ids", "use_cache_branch");

  private final OrtEnvironment env;
  private final OrtSession session;
  private final GenerationConfig config;
  private final Set<String> inputs;
  /** past input name → its zero-length shape on the first step. */
  private final Map<String, long[]> pastShapes = new LinkedHashMap<>();

  public GreedyDecoder(OrtEnvironment env, OrtSession session, GenerationConfig config) throws OrtException {
    this.env = env;
    this.session = session;
    this.config = config;
    this.inputs = session.getInputNames();
    Set<String> outputs = session.getOutputNames();
    for (String required : List.of("input_ids", "encoder_hidden_states")) {
      if (!inputs.contains(required)) {
        throw new IllegalArgumentException("decoder has no input '" + required + "'; inputs: " + inputs);
      }
    }
    if (!outputs.contains("logits")) {
      throw new IllegalArgumentException("decoder has no output 'logits'; outputs: " + outputs);
    }
    for (Map.Entry<String, NodeInfo> input : session.getInputInfo().entrySet()) {
      String name = input.getKey();
      if (name.startsWith(PAST)) {
        if (!outputs.contains(presentOf(name))) {
          throw new IllegalArgumentException("decoder input " + name + " has no output " + presentOf(name));
        }
        pastShapes.put(name, emptyShape(name, (TensorInfo) input.getValue().getInfo()));
      } else if (!KNOWN.contains(name)) {
        throw new IllegalArgumentException("decoder input '" + name + "' is not one this generator can fill");
      }
    }
  }

  /** Whether the decoder carries a key/value cache from step to step. */
  public boolean usesCache() {
    return !pastShapes.isEmpty();
  }

  /** The number of cache inputs (four a layer for T5, two for GPT-2). */
  public int cacheEntries() {
    return pastShapes.size();
  }

  public GenerationConfig config() {
    return config;
  }

  /**
   * Generates up to {@code maxNewTokens} tokens after the decoder start token, stopping early at
   * an end-of-sequence token (which is not returned).
   *
   * @param encoderHiddenStates the encoder's {@code last_hidden_state}, batch 1
   * @param encoderMask the encoder's attention mask, or {@code null} for all ones
   * @param onToken told each token as it is chosen (for streaming); may be {@code null}
   */
  public long[] generate(OnnxTensor encoderHiddenStates, long[] encoderMask, int maxNewTokens, LongConsumer onToken)
      throws OrtException {
    long encoderLength = encoderHiddenStates.getInfo().getShape()[1];
    List<Long> sequence = new ArrayList<>();
    sequence.add(config.decoderStartTokenId());
    Map<String, OnnxTensor> cache = new HashMap<>();
    List<OnnxTensor> empties = new ArrayList<>();
    OrtSession.Result first = null;
    OrtSession.Result previous = null;
    try {
      for (Map.Entry<String, long[]> past : pastShapes.entrySet()) {
        OnnxTensor empty = OnnxTensor.createTensor(env, FloatBuffer.allocate(0), past.getValue());
        empties.add(empty);
        cache.put(past.getKey(), empty);
      }
      for (int step = 0; step < maxNewTokens; step++) {
        boolean cached = usesCache() && step > 0;
        long pastLength = cached ? sequence.size() - 1 : 0;
        long[] ids = cached ? new long[] {sequence.get(sequence.size() - 1)} : toArray(sequence);

        OrtSession.Result result = runStep(ids, pastLength, cached, cache, encoderHiddenStates,
            encoderMask, encoderLength);
        long next = argmaxOfLastRow(result);

        if (usesCache()) {
          for (String past : pastShapes.keySet()) {
            boolean crossAttention = past.contains(".encoder.");
            if (!(crossAttention && cached)) {
              cache.put(past, (OnnxTensor) result.get(presentOf(past)).orElseThrow());
            }
          }
        }
        // outputs live as long as their Result: keep the first (cross-attention cache) and the
        // latest (self-attention cache), close the rest
        if (first == null) {
          first = result;
        } else {
          if (previous != null) {
            previous.close();
          }
          previous = result;
        }
        if (config.eosTokenIds().contains(next)) {
          break;
        }
        sequence.add(next);
        if (onToken != null) {
          onToken.accept(next);
        }
      }
    } finally {
      if (previous != null) {
        previous.close();
      }
      if (first != null) {
        first.close();
      }
      empties.forEach(OnnxTensor::close);
    }
    long[] generated = new long[sequence.size() - 1];
    for (int i = 0; i < generated.length; i++) {
      generated[i] = sequence.get(i + 1);
    }
    return generated;
  }

  private OrtSession.Result runStep(long[] ids, long pastLength, boolean cached, Map<String, OnnxTensor> cache,
      OnnxTensor encoderHiddenStates, long[] encoderMask, long encoderLength) throws OrtException {
    Map<String, OnnxTensor> feeds = new HashMap<>();
    List<OnnxTensor> owned = new ArrayList<>();
    try {
      feeds.put("input_ids", own(owned, longs(ids)));
      feeds.put("encoder_hidden_states", encoderHiddenStates);
      if (inputs.contains("encoder_attention_mask")) {
        long[] mask = encoderMask != null ? encoderMask : ones(encoderLength);
        feeds.put("encoder_attention_mask", own(owned, longs(mask)));
      }
      if (inputs.contains("attention_mask")) {
        feeds.put("attention_mask", own(owned, longs(ones(pastLength + ids.length))));
      }
      if (inputs.contains("position_ids")) {
        long[] positions = new long[ids.length];
        for (int i = 0; i < positions.length; i++) {
          positions[i] = pastLength + i;
        }
        feeds.put("position_ids", own(owned, longs(positions)));
      }
      if (inputs.contains("use_cache_branch")) {
        feeds.put("use_cache_branch", own(owned, OnnxTensor.createTensor(env, new boolean[] {cached})));
      }
      feeds.putAll(cache);
      return session.run(feeds);
    } finally {
      owned.forEach(OnnxTensor::close);
    }
  }

  private static long argmaxOfLastRow(OrtSession.Result result) throws OrtException {
    OnnxValue value = result.get("logits").orElseThrow();
    OnnxTensor logits = (OnnxTensor) value;
    TensorInfo info = logits.getInfo();
    if (info.type != OnnxJavaType.FLOAT) {
      throw new IllegalStateException("logits are " + info.type + "; only float32 models are supported");
    }
    long[] shape = info.getShape();
    int vocab = (int) shape[shape.length - 1];
    FloatBuffer data = logits.getFloatBuffer();
    int offset = data.limit() - vocab;
    int best = 0;
    float bestValue = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < vocab; i++) {
      float v = data.get(offset + i);
      if (v > bestValue) {
        bestValue = v;
        best = i;
      }
    }
    return best;
  }

  private long[] emptyShape(String name, TensorInfo info) {
    long[] declared = info.getShape();
    if (declared.length != 4) {
      throw new IllegalArgumentException(name + " has rank " + declared.length + "; expected [batch, heads, seq, dim]");
    }
    if (info.type != OnnxJavaType.FLOAT) {
      throw new IllegalArgumentException(name + " is " + info.type + "; only float32 models are supported");
    }
    long heads = declared[1] > 0 ? declared[1]
        : config.configLong("num_heads", "n_head", "num_attention_heads", "decoder_attention_heads");
    long dim = declared[3];
    if (dim <= 0 && heads > 0) {
      dim = config.configLong("d_kv", "head_dim");
      long width = config.configLong("d_model", "n_embd", "hidden_size");
      if (dim <= 0 && width > 0) {
        dim = width / heads;
      }
    }
    if (heads <= 0 || dim <= 0) {
      throw new IllegalArgumentException("cannot tell the heads and head size of " + name
          + " from the model or config.json");
    }
    return new long[] {1, heads, 0, dim};
  }

  private static String presentOf(String pastName) {
    return PRESENT + pastName.substring(PAST.length());
  }

  private OnnxTensor longs(long[] values) throws OrtException {
    return OnnxTensor.createTensor(env, LongBuffer.wrap(values), new long[] {1, values.length});
  }

  private static OnnxTensor own(List<OnnxTensor> owned, OnnxTensor tensor) {
    owned.add(tensor);
    return tensor;
  }

  private static long[] ones(long n) {
    long[] ones = new long[(int) n];
    java.util.Arrays.fill(ones, 1L);
    return ones;
  }

  private static long[] toArray(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).toArray();
  }
}
