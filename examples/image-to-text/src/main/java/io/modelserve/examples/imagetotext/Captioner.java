package io.modelserve.examples.imagetotext;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import io.modelserve.examples.seq2seq.EncoderDecoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * A vision-encoder / text-decoder captioner on ONNX Runtime: {@code encoder_model.onnx} maps
 * {@code pixel_values} to hidden states, the decoder (merged with a cache, as Optimum exports
 * vit-gpt2, or without one, as {@code export_blip.py} writes BLIP) generates greedily, and the
 * model's {@code tokenizer.json} turns the tokens into text.
 */
public final class Captioner implements AutoCloseable {

  private final ImageProcessor processor;
  private final HuggingFaceTokenizer tokenizer;
  private final EncoderDecoder model;

  private Captioner(ImageProcessor processor, HuggingFaceTokenizer tokenizer, EncoderDecoder model) {
    this.processor = processor;
    this.tokenizer = tokenizer;
    this.model = model;
  }

  public static Captioner load(Path dir, String device) throws IOException, OrtException {
    ImageProcessor processor = ImageProcessor.read(dir.resolve("preprocessor_config.json"));
    HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
        EncoderDecoder.requireFile(dir.resolve("tokenizer.json")), Map.of("addSpecialTokens", "false"));
    try {
      EncoderDecoder model = EncoderDecoder.load(dir, device);
      if (!model.encoderInputs().contains("pixel_values")) {
        model.close();
        throw new IOException(dir + ": the encoder takes " + model.encoderInputs() + ", not pixel_values");
      }
      return new Captioner(processor, tokenizer, model);
    } catch (IOException | OrtException | RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /** Decodes {@code imageBytes} and captions it; @throws IllegalArgumentException when they are no image */
  public String caption(byte[] imageBytes, int maxNewTokens) throws OrtException {
    return caption(ImageProcessor.decode(imageBytes), maxNewTokens);
  }

  public String caption(BufferedImage image, int maxNewTokens) throws OrtException {
    float[] pixels = processor.pixels(image);
    try (OnnxTensor input = OnnxTensor.createTensor(model.env(), FloatBuffer.wrap(pixels), processor.shape())) {
      long[] tokens = model.generate(Map.of("pixel_values", input), null, maxNewTokens, null);
      return tokenizer.decode(tokens, true).strip();
    }
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
