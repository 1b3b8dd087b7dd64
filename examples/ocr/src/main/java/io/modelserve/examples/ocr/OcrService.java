package io.modelserve.examples.ocr;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OCR as a service: {@code POST /ocr} with a multipart {@code image} (PNG or JPEG) answers
 * {@code {"text", "lines": [{"text", "confidence", "box"}], "width", "height", "ms"}}.
 *
 * <p>Settings (the worker's {@code --set key=value}, or its JSON config's {@code settings}):
 * <ul>
 *   <li>{@code models}: the folder of the models, by default {@code examples/ocr/models} (or
 *       {@code models} when started inside the example's folder), where
 *       {@code examples/ocr/download_models.sh} puts them;
 *   <li>{@code threads}: ONNX Runtime's intra-op threads per model, by default one per core.
 * </ul>
 *
 * <p>{@link #close()} releases both models and their ONNX Runtime sessions.
 */
@Api(name = "ocr")
public class OcrService implements Model {

  /** The setting naming the models' folder. */
  public static final String MODELS = "models";
  /** The setting giving ONNX Runtime's intra-op threads. */
  public static final String THREADS = "threads";
  private static final Logger log = LoggerFactory.getLogger(OcrService.class);

  private OcrPredictor ocr;

  @Override
  public void init(String device, Settings settings) throws Exception {
    Path models = settings.path(MODELS, null);
    if (models == null) {
      models = defaultModelsDir();
    }
    int threads = settings.getInt(THREADS, OcrPredictor.DEFAULT_THREADS);
    if (threads < 1) {
      throw new IllegalArgumentException("setting '" + THREADS + "' must be at least 1, not " + threads);
    }
    if (!Files.isDirectory(models)) {
      throw new IOException("setting '" + MODELS + "': no folder " + models.toAbsolutePath()
          + "; run examples/ocr/download_models.sh, or --set " + MODELS + "=DIR");
    }
    ocr = OcrPredictor.load(models, device, threads);
    log.info("OCR runs on {} with {} threads, models from {}", ocr.executionProvider(), threads,
        models.toAbsolutePath());
  }

  @Override
  public ApiResponse inference(ApiRequest request) throws Exception {
    UploadedFile upload = request.file("image");
    if (upload == null) {
      throw ApiException.badRequest("send the image as a multipart file field named 'image'");
    }
    if (upload.size() == 0) {
      throw ApiException.badRequest("the uploaded image '" + upload.fileName() + "' is empty");
    }
    long start = System.nanoTime();
    BgrImage image;
    try {
      image = BgrImage.decode(upload.bytes());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("'" + upload.fileName() + "': " + e.getMessage());
    }
    OcrResult result = ocr.recognize(image);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("text", result.text());
    json.put("lines", result.lines());
    json.put("width", result.width());
    json.put("height", result.height());
    json.put("ms", (System.nanoTime() - start) / 1_000_000);
    return ApiResponse.json(json);
  }

  /** Releases the models; a worker calls it after draining, or after {@code init} failed. */
  @Override
  public void close() {
    OcrPredictor loaded = ocr;
    ocr = null;
    if (loaded != null) {
      loaded.close();
    }
    log.info("OCR closed ({})", loaded != null ? "models released" : "no models were loaded");
  }

  static Path defaultModelsDir() {
    // run_all.sh starts workers at the repository root; tests and IDEs in the module's folder
    for (Path candidate : List.of(Path.of("examples", "ocr", "models"), Path.of("models"))) {
      if (Files.isRegularFile(candidate.resolve(OcrPredictor.REC_MODEL + ".onnx"))) {
        return candidate;
      }
    }
    return Path.of("examples", "ocr", "models");
  }

  public static void main(String[] args) {
    ModelServe.runServerWithArgs(args);
  }
}
