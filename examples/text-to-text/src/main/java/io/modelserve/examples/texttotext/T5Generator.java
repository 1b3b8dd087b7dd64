package io.modelserve.examples.texttotext;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import io.modelserve.examples.seq2seq.EncoderDecoder;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Text in, text out with a T5-family model exported by Optimum (flan-t5-base by default): the
 * Hugging Face tokenizer, the encoder once, then greedy decoding over the merged decoder's
 * key/value cache ({@link io.modelserve.examples.seq2seq.GreedyDecoder}).
 */
public final class T5Generator implements AutoCloseable {

  /** T5's relative positions admit longer inputs, but it was trained on 512 tokens. */
  public static final int MAX_INPUT_TOKENS = 512;

  private final HuggingFaceTokenizer tokenizer;
  private final EncoderDecoder model;

  private T5Generator(HuggingFaceTokenizer tokenizer, EncoderDecoder model) {
    this.tokenizer = tokenizer;
    this.model = model;
  }

  /** Loads {@code encoder_model.onnx}, the decoder, {@code tokenizer.json} and configs from {@code dir}. */
  public static T5Generator load(Path dir, String device) throws IOException, OrtException {
    HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
        EncoderDecoder.requireFile(dir.resolve("tokenizer.json")),
        Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
    try {
      EncoderDecoder model = EncoderDecoder.load(dir, device);
      if (!model.encoderInputs().contains("input_ids")) {
        model.close();
        throw new IOException(dir + ": the encoder takes " + model.encoderInputs() + ", not input_ids");
      }
      return new T5Generator(tokenizer, model);
    } catch (IOException | OrtException | RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /**
   * Generates the answer to {@code text}, at most {@code maxNewTokens} tokens long.
   *
   * @throws IllegalArgumentException when the text is longer than {@link #MAX_INPUT_TOKENS}
   */
  public String generate(String text, int maxNewTokens, LongConsumer onToken) throws OrtException {
    Encoding encoding = tokenizer.encode(text);
    long[] ids = encoding.getIds();
    checkLength(ids.length);
    long[] mask = encoding.getAttentionMask();
    long[] shape = {1, ids.length};
    try (OnnxTensor idsTensor = OnnxTensor.createTensor(model.env(), LongBuffer.wrap(ids), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(model.env(), LongBuffer.wrap(mask), shape)) {
      Map<String, OnnxTensor> inputs = model.encoderInputs().contains("attention_mask")
          ? Map.of("input_ids", idsTensor, "attention_mask", maskTensor)
          : Map.of("input_ids", idsTensor);
      long[] generated = model.generate(inputs, mask, maxNewTokens, onToken);
      return tokenizer.decode(generated, true).strip();
    }
  }

  /**
   * Checks that {@code text} fits the encoder, before a streamed answer starts.
   *
   * @throws IllegalArgumentException when it is longer than {@link #MAX_INPUT_TOKENS}
   */
  public void check(String text) {
    checkLength(tokenizer.encode(text).getIds().length);
  }

  private static void checkLength(int tokens) {
    if (tokens > MAX_INPUT_TOKENS) {
      throw new IllegalArgumentException("text is " + tokens + " tokens long; at most " + MAX_INPUT_TOKENS
          + " are accepted");
    }
  }

  /** The text of the tokens generated so far (special tokens skipped), for streaming. */
  public String decode(long[] generated) {
    return tokenizer.decode(generated, true).strip();
  }

  @Override
  public void close() throws OrtException {
    try {
      model.close();
    } finally {
      tokenizer.close();
    }
  }
}
