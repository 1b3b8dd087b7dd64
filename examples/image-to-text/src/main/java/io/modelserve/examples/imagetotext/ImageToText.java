package io.modelserve.examples.imagetotext;

import io.modelserve.Api;
import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.Model;
import io.modelserve.ModelServe;
import io.modelserve.Settings;
import io.modelserve.UploadedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image captioning behind {@code POST /custom} with a multipart {@code image}, answering {@code
 * {"text": caption}}; {@code max_new_tokens} (query or form, 1 to 256, default 32) bounds it.
 *
 * <p>Setting (the worker's {@code --set key=value}, or its JSON config's {@code settings}):
 * {@code model}, the model's folder, by default {@code
 * examples/image-to-text/models/vit-gpt2-image-captioning} (or {@code models/...} inside the
 * example's folder), where {@link Download} puts it. A BLIP folder written by {@code
 * export_blip.py} works the same.
 *
 * <p>{@link #close()} releases the ONNX Runtime sessions and the tokenizer.
 */
@Api(name = "custom")
public class ImageToText implements Model {

  /** The setting naming the model's folder. */
  public static final String MODEL = "model";
  public static final String DEFAULT_MODEL = "vit-gpt2-image-captioning";
  public static final int DEFAULT_MAX_NEW_TOKENS = 32;
  public static final int LIMIT_MAX_NEW_TOKENS = 256;

  private static final Logger log = LoggerFactory.getLogger(ImageToText.class);

  private Captioner captioner;

  @Override
  public void init(String device, Settings settings) throws Exception {
    Path dir = settings.path(MODEL, null);
    if (dir == null) {
      dir = defaultModelDir();
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException("setting '" + MODEL + "': no folder " + dir.toAbsolutePath()
          + "; run the download step (examples/image-to-text/download.sh), or --set " + MODEL + "=DIR");
    }
    captioner = Captioner.load(dir, device);
    log.info("image-to-text model loaded from {}", dir.toAbsolutePath());
  }

  /** Releases the model; a worker calls it after draining, or after {@code init} failed. */
  @Override
  public void close() throws Exception {
    Captioner loaded = captioner;
    captioner = null;
    if (loaded != null) {
      loaded.close();
    }
    log.info("image-to-text closed ({})", loaded != null ? "model released" : "no model was loaded");
  }

  @Override
  public ApiResponse inference(ApiRequest request) throws Exception {
    UploadedFile image = request.file("image");
    if (image == null) {
      throw ApiException.badRequest("send the image as a multipart/form-data file field named 'image'");
    }
    int maxNewTokens = maxNewTokens(request);
    try {
      return ApiResponse.json(Map.of("text", captioner.caption(image.bytes(), maxNewTokens)));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private static int maxNewTokens(ApiRequest request) {
    String value = request.query("max_new_tokens");
    if (value == null) {
      value = request.form("max_new_tokens");
    }
    if (value == null) {
      return DEFAULT_MAX_NEW_TOKENS;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1 && n <= LIMIT_MAX_NEW_TOKENS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("max_new_tokens must be an integer from 1 to " + LIMIT_MAX_NEW_TOKENS
        + ", not '" + value + "'");
  }

  static Path defaultModelDir() {
    Path inRepo = Path.of("examples", "image-to-text", "models", DEFAULT_MODEL);
    for (Path candidate : List.of(inRepo, Path.of("models", DEFAULT_MODEL))) {
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return inRepo;
  }

  public static void main(String[] args) {
    ModelServe.runServerWithArgs(args);
  }
}
