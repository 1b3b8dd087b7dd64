package io.modelserve.examples.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The example bundles ONNX Runtime's CPU build, so a GPU index must fall back, not fail. */
class ExecutionProviderTest {

  @Test
  void cpuIsCpu() {
    OcrPredictor.ExecutionProvider p = OcrPredictor.ExecutionProvider.choose("cpu");
    assertFalse(p.device().isGpu());
    assertEquals("CPU", p.description());
  }

  @Test
  void aGpuIndexWithoutTheCudaBuildFallsBackToCpuAndSaysWhy() {
    OcrPredictor.ExecutionProvider p = OcrPredictor.ExecutionProvider.choose("0");
    assertFalse(p.device().isGpu());
    assertTrue(p.description().startsWith("CPU (GPU 0 requested"), p.description());
  }

  @Test
  void anUnknownDeviceIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> OcrPredictor.ExecutionProvider.choose("tpu"));
  }
}
