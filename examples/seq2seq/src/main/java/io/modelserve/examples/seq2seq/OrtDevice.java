package io.modelserve.examples.seq2seq;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session options for a worker's {@code --device}: CUDA on a GPU index when the GPU build of ONNX
 * Runtime is on the class path, otherwise CPU. Falling back is logged once and never fatal: the
 * examples ship the CPU build, so a {@code --device 0} on a machine without it must still serve.
 */
public final class OrtDevice {

  private static final Logger log = LoggerFactory.getLogger(OrtDevice.class);

  private OrtDevice() {}

  /** Options for {@code device} ("cpu", or "0", "1", ... for a GPU index); the caller closes them. */
  public static OrtSession.SessionOptions options(String device) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    String d = device == null ? "cpu" : device.trim();
    if (d.isEmpty() || d.equalsIgnoreCase("cpu")) {
      log.info("device cpu: ONNX Runtime CPU execution provider");
      return options;
    }
    int gpu;
    try {
      gpu = Integer.parseInt(d);
    } catch (NumberFormatException e) {
      log.warn("device '{}' is neither a GPU index nor 'cpu': running on CPU", d);
      return options;
    }
    try {
      options.addCUDA(gpu);
      log.info("device {}: ONNX Runtime CUDA execution provider on GPU {}", d, gpu);
    } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
      log.warn("device {}: CUDA execution provider unavailable ({}); running on CPU. "
          + "Put com.microsoft.onnxruntime:onnxruntime_gpu on the class path to use the GPU.", d, e.getMessage());
    }
    return options;
  }
}
