package io.modelserve.examples.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.Settings;
import io.modelserve.testing.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's settings come from the worker's {@code --set}; none of these tests needs the models. */
class OcrSettingsTest {

  @TempDir Path dir;

  @Test
  void aModelsFolderThatDoesNotExistStopsTheWorkerNamingTheSettingAndTheFolder() {
    Path missing = dir.resolve("no-models-here");
    try (LocalCluster c = LocalCluster.builder(OcrService.class.getName()).start()) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> c.startWorker("ocr", "cpu", "--set", OcrService.MODELS + "=" + missing));
      String log = e.getMessage();
      assertTrue(log.contains("setting 'models': no folder " + missing), log);
      assertTrue(log.contains("OCR closed (no models were loaded)"), "close() ran after the failed init:\n" + log);
    }
  }

  @Test
  void aModelsFolderWithoutTheModelsNamesTheMissingFile() {
    IOException e = assertThrows(IOException.class,
        () -> new OcrService().init("cpu", Settings.of(Map.of(OcrService.MODELS, dir.toString()))));
    assertTrue(e.getMessage().contains(dir.resolve(OcrPredictor.DET_MODEL + ".onnx").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("download_models.sh"), e.getMessage());
  }

  @Test
  void threadsMustBeAPositiveInteger() {
    OcrService service = new OcrService();
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> service.init("cpu", Settings.of(Map.of(OcrService.THREADS, "0"))));
    assertEquals("setting 'threads' must be at least 1, not 0", zero.getMessage());
    IllegalArgumentException words = assertThrows(IllegalArgumentException.class,
        () -> service.init("cpu", Settings.of(Map.of(OcrService.THREADS, "many"))));
    assertEquals("setting 'threads' must be an integer, not 'many'", words.getMessage());
  }

  @Test
  void closeAfterAFailedInitReleasesNothingAndMayBeCalledAgain() {
    OcrService service = new OcrService();
    assertThrows(IOException.class,
        () -> service.init("cpu", Settings.of(Map.of(OcrService.MODELS, dir.resolve("none").toString()))));
    service.close();
    service.close();
  }
}
