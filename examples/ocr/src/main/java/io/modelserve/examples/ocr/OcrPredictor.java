package io.modelserve.examples.ocr;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * PaddleOCR PP-OCRv4 (detection, then recognition of each detected line) on DJL's ONNX Runtime
 * engine. Knows nothing about serving; thread-safe, as each call takes its own predictors.
 *
 * <pre>{@code
 * try (OcrPredictor ocr = OcrPredictor.load(Path.of("examples/ocr/models"), "cpu")) {
 *   System.out.println(ocr.recognize(image).text());
 * }
 * }</pre>
 */
public final class OcrPredictor implements AutoCloseable {

  public static final String DET_MODEL = "ch_PP-OCRv4_det_infer";
  public static final String REC_MODEL = "ch_PP-OCRv4_rec_infer";
  public static final String DICTIONARY = "ppocr_keys_v1.txt";
  /** Largest page side the detector sees; larger pages are scaled down. */
  public static final int DEFAULT_MAX_SIDE = 960;
  /** Lines recognised with less confidence are noise more often than text (PaddleOCR's value). */
  public static final float DROP_SCORE = 0.5f;
  /** ONNX Runtime's intra-op threads per model unless told otherwise: one per core. */
  public static final int DEFAULT_THREADS = Runtime.getRuntime().availableProcessors();
  /** PaddleOCR's reading order treats boxes whose tops differ by less than this as one row. */
  private static final float SAME_ROW = 10;

  static {
    // The models come from local files: DJL needs no network at all, so none is attempted,
    // and no telemetry is sent (DJL otherwise probes a cloud metadata address at start).
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }

  private final Model detModel;
  private final Model recModel;
  private final List<SessionOptions> sessionOptions;
  private final TextDetector detector;
  private final TextRecognizer recognizer;
  private final String provider;

  private OcrPredictor(Model detModel, Model recModel, List<SessionOptions> sessionOptions,
      List<String> classes, String provider) {
    this.detModel = detModel;
    this.recModel = recModel;
    this.sessionOptions = sessionOptions;
    this.detector = new TextDetector(DEFAULT_MAX_SIDE, DbPostProcess.DEFAULT);
    this.recognizer = new TextRecognizer(classes);
    this.provider = provider;
  }

  /** Loads the models from {@code modelsDir} with {@link #DEFAULT_THREADS} threads each. */
  public static OcrPredictor load(Path modelsDir, String device)
      throws IOException, MalformedModelException {
    return load(modelsDir, device, DEFAULT_THREADS);
  }

  /**
   * Loads the models from {@code modelsDir} (see {@code download_models.sh}).
   *
   * @param device {@code "cpu"}, or a GPU index such as {@code "0"}: CUDA when the GPU build of
   *     ONNX Runtime is on the class path and can use that GPU, CPU otherwise
   * @param threads ONNX Runtime's intra-op threads per model (at least 1)
   */
  public static OcrPredictor load(Path modelsDir, String device, int threads)
      throws IOException, MalformedModelException {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    }
    for (String file : List.of(DET_MODEL + ".onnx", REC_MODEL + ".onnx", DICTIONARY)) {
      if (!Files.isRegularFile(modelsDir.resolve(file))) {
        throw new IOException("missing " + modelsDir.resolve(file)
            + ": run examples/ocr/download_models.sh first");
      }
    }
    List<String> classes = new ArrayList<>();
    classes.add("");
    classes.addAll(Files.readAllLines(modelsDir.resolve(DICTIONARY), StandardCharsets.UTF_8));
    classes.add(" ");

    ExecutionProvider choice = ExecutionProvider.choose(device);
    try {
      return loadOn(modelsDir, classes, choice.device(), threads, choice.description());
    } catch (MalformedModelException | RuntimeException e) {
      if (!choice.device().isGpu()) {
        throw e;
      }
      // CUDA provider present but unusable (no driver, no such GPU): serve on CPU instead
      return loadOn(modelsDir, classes, Device.cpu(), threads,
          "CPU (CUDA on GPU " + device + " failed to start: " + e.getMessage() + ")");
    }
  }

  private static OcrPredictor loadOn(Path dir, List<String> classes, Device device, int threads,
      String provider) throws IOException, MalformedModelException {
    List<SessionOptions> options = new ArrayList<>();
    Model det = null;
    try {
      det = loadModel(dir, DET_MODEL, device, threads, options);
      Model rec = loadModel(dir, REC_MODEL, device, threads, options);
      return new OcrPredictor(det, rec, options, classes, provider);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      if (det != null) {
        det.close();
      }
      options.forEach(SessionOptions::close);
      throw e;
    }
  }

  private static Model loadModel(Path dir, String name, Device device, int threads,
      List<SessionOptions> created) throws IOException, MalformedModelException {
    SessionOptions session = ExecutionProvider.sessionOptions(threads);
    created.add(session);
    Map<String, Object> options = new HashMap<>();
    options.put("sessionOptions", session);
    Model model = Model.newInstance(name, device, "OnnxRuntime");
    try {
      model.load(dir, name, options);
      return model;
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** Where inference runs, e.g. {@code "CPU"} or {@code "CUDA (GPU 0)"}, with any fallback reason. */
  public String executionProvider() {
    return provider;
  }

  public OcrResult recognize(BufferedImage image) throws TranslateException {
    return recognize(BgrImage.of(image));
  }

  /** Detects the text lines on {@code image} and reads each one. */
  public OcrResult recognize(BgrImage image) throws TranslateException {
    List<Quad> boxes;
    try (Predictor<BgrImage, List<Quad>> det = detModel.newPredictor(detector)) {
      boxes = readingOrder(det.predict(image));
    }
    List<OcrResult.Line> lines = new ArrayList<>();
    if (!boxes.isEmpty()) {
      try (Predictor<BgrImage, TextRecognizer.Recognition> rec = recModel.newPredictor(recognizer)) {
        for (Quad box : boxes) {
          TextRecognizer.Recognition r = rec.predict(image.crop(box));
          if (!r.text().isBlank() && r.confidence() >= DROP_SCORE) {
            lines.add(new OcrResult.Line(r.text(), r.confidence(), box.points()));
          }
        }
      }
    }
    String text = lines.stream().map(OcrResult.Line::text).collect(Collectors.joining("\n"));
    return new OcrResult(text, List.copyOf(lines), image.width(), image.height());
  }

  /** Top to bottom; boxes on one row (tops within a few pixels) left to right. */
  static List<Quad> readingOrder(List<Quad> boxes) {
    List<Quad> sorted = new ArrayList<>(boxes);
    sorted.sort(Comparator.comparingDouble((Quad q) -> q.y(0)).thenComparingDouble(q -> q.x(0)));
    for (int i = 0; i < sorted.size() - 1; i++) {
      for (int j = i; j >= 0; j--) {
        Quad a = sorted.get(j);
        Quad b = sorted.get(j + 1);
        if (Math.abs(b.y(0) - a.y(0)) < SAME_ROW && b.x(0) < a.x(0)) {
          sorted.set(j, b);
          sorted.set(j + 1, a);
        } else {
          break;
        }
      }
    }
    return sorted;
  }

  /** Closes both models (DJL closes their ONNX Runtime sessions), then the session options. */
  @Override
  public void close() {
    try {
      detModel.close();
    } finally {
      try {
        recModel.close();
      } finally {
        sessionOptions.forEach(SessionOptions::close);
      }
    }
  }

  /** The device choice, kept apart so that its one decision is easy to read and to log. */
  record ExecutionProvider(Device device, String description) {

    static ExecutionProvider choose(String device) {
      if (device == null || device.isBlank() || device.equalsIgnoreCase("cpu")) {
        return new ExecutionProvider(Device.cpu(), "CPU");
      }
      int gpu;
      try {
        gpu = Integer.parseInt(device.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--device must be 'cpu' or a GPU index, not '" + device + "'");
      }
      try (SessionOptions probe = new SessionOptions()) {
        probe.addCUDA(gpu);
        return new ExecutionProvider(Device.gpu(gpu), "CUDA (GPU " + gpu + ")");
      } catch (OrtException | RuntimeException | LinkageError e) {
        return new ExecutionProvider(Device.cpu(), "CPU (GPU " + gpu + " requested, but this ONNX"
            + " Runtime build has no usable CUDA provider; add com.microsoft.onnxruntime:"
            + "onnxruntime_gpu for it)");
      }
    }

    /**
     * {@code threads} intra-op threads (one per core unless the service's {@code threads}
     * setting says otherwise), one inter-op thread, and no spin-waiting: a worker shares its
     * cores with the event loops and the controller, and spinning threads would take the CPU
     * they need.
     */
    static SessionOptions sessionOptions(int threads) {
      SessionOptions options = new SessionOptions();
      try {
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
      } catch (OrtException e) {
        options.close();
        throw new IllegalStateException("cannot configure ONNX Runtime: " + e.getMessage(), e);
      }
    }
  }
}
