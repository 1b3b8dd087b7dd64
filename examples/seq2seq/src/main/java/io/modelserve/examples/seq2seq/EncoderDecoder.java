package io.modelserve.examples.seq2seq;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An encoder-decoder model exported to ONNX: {@code encoder_model.onnx} plus {@code
 * decoder_model_merged.onnx} (or {@code decoder_model.onnx}) and the configs beside them.
 *
 * <p>Why ONNX Runtime's own Java API rather than DJL's ONNX Runtime engine: the merged decoder
 * takes a boolean {@code use_cache_branch}, zero-length cache tensors on its first step, and
 * dozens of named inputs whose outputs must be fed back by name. With the ONNX Runtime engine
 * alone DJL's NDArrays offer no arithmetic, and its predictor matches inputs by position, so
 * every step would convert tensors for nothing. The session API gives names, shapes and
 * zero-copy reuse of the previous step's outputs directly. DJL's Hugging Face tokenizers and
 * BOM still pin the versions.
 */
public final class EncoderDecoder implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EncoderDecoder.class);

  private final OrtEnvironment env;
  private final OrtSession encoder;
  private final OrtSession decoderSession;
  private final GreedyDecoder decoder;
  private final String encoderOutput;

  private EncoderDecoder(OrtEnvironment env, OrtSession encoder, OrtSession decoderSession, GreedyDecoder decoder) {
    this.env = env;
    this.encoder = encoder;
    this.decoderSession = decoderSession;
    this.decoder = decoder;
    Set<String> outputs = encoder.getOutputNames();
    this.encoderOutput = outputs.contains("last_hidden_state") ? "last_hidden_state" : outputs.iterator().next();
  }

  /** Loads the model in {@code dir} onto {@code device} ("cpu" or a GPU index). */
  public static EncoderDecoder load(Path dir, String device) throws IOException, OrtException {
    Path encoderFile = dir.resolve("encoder_model.onnx");
    Path decoderFile = dir.resolve("decoder_model_merged.onnx");
    if (!Files.exists(decoderFile)) {
      decoderFile = dir.resolve("decoder_model.onnx");
    }
    requireFile(encoderFile);
    requireFile(decoderFile);
    GenerationConfig config = GenerationConfig.read(dir);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession encoder = null;
    try (OrtSession.SessionOptions options = OrtDevice.options(device)) {
      encoder = env.createSession(encoderFile.toString(), options);
      OrtSession decoderSession = env.createSession(decoderFile.toString(), options);
      try {
        GreedyDecoder decoder = new GreedyDecoder(env, decoderSession, config);
        log.info("loaded {}: encoder inputs {}, decoder {} with {} cache entries", dir.getFileName(),
            encoder.getInputNames(), decoderFile.getFileName(), decoder.cacheEntries());
        return new EncoderDecoder(env, encoder, decoderSession, decoder);
      } catch (RuntimeException e) {
        decoderSession.close();
        throw e;
      }
    } catch (OrtException | RuntimeException e) {
      if (encoder != null) {
        encoder.close();
      }
      throw e;
    }
  }

  /** Fails with a message that names the download step when {@code file} is not there. */
  public static Path requireFile(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException(file + " is missing: run the example's download step first (see its README)");
    }
    return file;
  }

  public OrtEnvironment env() {
    return env;
  }

  /** The encoder's input names, for callers that check what they feed. */
  public Set<String> encoderInputs() {
    return encoder.getInputNames();
  }

  public GreedyDecoder decoder() {
    return decoder;
  }

  /**
   * Runs the encoder once on {@code encoderInputs}, then greedy decoding.
   *
   * @param encoderMask the attention mask handed to the decoder, or {@code null} for all ones
   */
  public long[] generate(Map<String, OnnxTensor> encoderInputs, long[] encoderMask, int maxNewTokens,
      LongConsumer onToken) throws OrtException {
    try (OrtSession.Result encoded = encoder.run(encoderInputs)) {
      OnnxTensor hidden = (OnnxTensor) encoded.get(encoderOutput).orElseThrow();
      return decoder.generate(hidden, encoderMask, maxNewTokens, onToken);
    }
  }

  @Override
  public void close() throws OrtException {
    try {
      decoderSession.close();
    } finally {
      encoder.close();
    }
  }
}
