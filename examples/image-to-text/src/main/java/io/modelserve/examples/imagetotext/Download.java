package io.modelserve.examples.imagetotext;

import io.modelserve.examples.seq2seq.HubDownload;
import io.modelserve.examples.seq2seq.HubDownload.HubFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Fetches the ONNX export of nlpconnect/vit-gpt2-image-captioning (the one Transformers.js
 * publishes: fp32 ViT encoder and merged GPT-2 decoder, about 1 GB) into {@code
 * examples/image-to-text/models/vit-gpt2-image-captioning}. Interrupted downloads resume.
 *
 * <p>Usage: {@code Download [target-dir]}. {@code HF_ENDPOINT} points at a mirror.
 */
public final class Download {

  public static final String REPO = "Xenova/vit-gpt2-image-captioning";
  /** A branch name; pin a commit hash here for reproducible downloads. */
  public static final String REVISION = "main";
  public static final List<HubFile> FILES = List.of(
      HubFile.of("config.json"),
      HubFile.of("generation_config.json"),
      HubFile.of("preprocessor_config.json"),
      HubFile.of("tokenizer.json"),
      HubFile.of("onnx/encoder_model.onnx"),
      HubFile.of("onnx/decoder_model_merged.onnx"));

  private Download() {}

  public static void main(String[] args) {
    Path target = Path.of(args.length > 0 ? args[0]
        : "examples/image-to-text/models/" + ImageToText.DEFAULT_MODEL);
    try {
      HubDownload.fromEnvironment().fetchAll(REPO, REVISION, FILES, target);
      System.err.println("vit-gpt2-image-captioning is in " + target.toAbsolutePath());
    } catch (IOException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
    }
  }
}
