package io.modelserve.examples.ocr;

import io.modelserve.Api;
import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.Model;
import io.modelserve.ModelServe;
import io.modelserve.UploadedFile;
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
 * <p>The models are read from {@code -Dmodelserve.ocr.models=DIR}, by default from
 * {@code examples/ocr/models} (or {@code models} when started inside the example's folder),
 * where {@code examples/ocr/download_models.sh} puts them.
 */
@Api(name = "ocr")
public class OcrService implements Model {

  public static final String MODELS_PROPERTY = "modelserve.ocr.models";
  private static final Logger log = LoggerFactory.getLogger(OcrService.class);

  private OcrPredictor ocr;

  @Override
  public void init(String device) throws Exception {
    Path models = modelsDir();
    ocr = OcrPredictor.load(models, device);
    log.info("OCR runs on {}, models from {}", ocr.executionProvider(), models.toAbsolutePath());
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

  static Path modelsDir() {
    String configured = System.getProperty(MODELS_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
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
