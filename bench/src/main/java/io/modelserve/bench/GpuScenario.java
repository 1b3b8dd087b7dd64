package io.modelserve.bench;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.LocalCluster.Node;
import io.modelserve.tools.LoadResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 10: the models on a GPU ({@code --device 0}, from {@code bench/gpu.sh}) against the CPU.
 * <ul>
 *   <li>the same answers: all-MiniLM-L6-v2's vectors on the device against the CPU's (cosine), and
 *       OCR's text, when its models are here;</li>
 *   <li>throughput of one embedding worker on the device, with batches of 32 and of 1 (the
 *       batching ratio there);</li>
 *   <li>1, 2 and 4 workers sharing the one device, against 1.</li>
 * </ul>
 * On {@code cpu} (the default; {@code bench/run.sh --quick} runs it so) it measures the CPU against
 * itself: what it checks then is that the script works. Each worker says in its log which device
 * its ONNX Runtime session really uses (the GPU build falls back to the CPU without CUDA); the
 * report quotes it.
 */
final class GpuScenario implements Scenario {

  static final double MIN_COSINE = 0.999;
  private static final List<String> SENTENCES = List.of(EmbeddingWork.SENTENCE,
      "A worker that dies before the first chunk is retried like any request.",
      "GPUs serve several times more requests per second in batches.");

  @Override
  public String title() {
    return "10. GPU";
  }

  @Override
  public long limitSeconds(Settings s) {
    return s.quick() ? 300 : 600;
  }

  @Override
  public void run(Run run) throws Exception {
    if (!EmbeddingWork.available(run)) {
      return;
    }
    Settings s = run.settings;
    String device = s.device();
    if ("cpu".equals(device) && !s.quick()) {
      // the full suite on a machine without a GPU: the CPU against itself says nothing
      run.note("Skipped: no GPU given. bench/gpu.sh runs this scenario on GPU 0; bench/gpu.sh --cpu --quick checks it on the CPU.");
      return;
    }
    run.note("Device under test: `" + device + "`" + ("cpu".equals(device)
        ? " (no GPU given: bench/gpu.sh --device 0 runs this on a GPU; here the CPU is measured against itself)." : "."));

    // the same vectors on both
    BenchCluster onCpu = run.track(BenchCluster.start(Example.EMBEDDING, JvmProfile.FULL));
    Node cpuWorker = EmbeddingWork.startWorker(onCpu, EmbeddingWork.MAX_BATCH, "cpu");
    BenchCluster onDevice = run.track(BenchCluster.start(Example.EMBEDDING, JvmProfile.FULL));
    Node deviceWorker = EmbeddingWork.startWorker(onDevice, EmbeddingWork.MAX_BATCH, device);
    run.note("The embedding worker on `" + device + "` runs on: " + sessionDevice(deviceWorker) + ".");
    JsonArray a = vectors(onCpu);
    JsonArray b = vectors(onDevice);
    double minCosine = 1;
    for (int i = 0; i < SENTENCES.size(); i++) {
      minCosine = Math.min(minCosine, cosine(a.getJsonObject(i).getJsonArray("embedding"), b.getJsonObject(i).getJsonArray("embedding")));
    }
    run.row("embeddings on " + device + " against cpu, " + SENTENCES.size() + " sentences in one request: least cosine",
        Fmt.num(minCosine, 6), "1", "", "cosine ≥ " + MIN_COSINE, minCosine >= MIN_COSINE);
    onCpu.close();

    // one worker on the device: batches of 32 against batches of 1
    Path body = EmbeddingWork.bodyFile(run);
    int c = s.batchingClients();
    Load batched = Load.postJson(onDevice.url(EmbeddingWork.PATH), body);
    batched.closed(c, s.warmupSeconds(), 0);
    LoadResult b32 = Load.checked(batched.closed(c, s.batchingSeconds(), 0), "batch 32 on " + device);
    run.command(batched.closedCommand(c, s.batchingSeconds(), 0) + "   # one worker on " + device + ", --max-batch-size 32");
    onDevice.close();
    BenchCluster single = run.track(BenchCluster.start(Example.EMBEDDING, JvmProfile.FULL));
    EmbeddingWork.startWorker(single, 1, device);
    Load unbatched = Load.postJson(single.url(EmbeddingWork.PATH), body);
    unbatched.closed(c, s.warmupSeconds(), 0);
    LoadResult b1 = Load.checked(unbatched.closed(c, s.batchingSeconds(), 0), "batch 1 on " + device);
    single.close();
    run.row("one worker on " + device + ", " + c + " clients: --max-batch-size 32 / 1", Fmt.rps(b32.rps()),
        Fmt.rps(b1.rps()) + " (batch size 1)", Fmt.ratio(b32.rps() / b1.rps()), "", null);

    // k workers sharing the device
    double one = 0;
    for (int k : s.gpuWorkers()) {
      try (BenchCluster shared = run.track(BenchCluster.start(Example.EMBEDDING, JvmProfile.FULL))) {
        for (int i = 0; i < k; i++) {
          EmbeddingWork.startWorker(shared, EmbeddingWork.MAX_BATCH, device);
        }
        Load load = Load.postJson(shared.url(EmbeddingWork.PATH), body);
        load.closed(c, s.warmupSeconds(), 0);
        LoadResult r = Load.checked(load.closed(c, s.batchingSeconds(), 0), k + " workers on " + device);
        one = k == 1 ? r.rps() : one;
        run.row(k + " worker(s) sharing " + device + ", " + c + " clients", Fmt.rps(r.rps()),
            k == 1 ? "" : Fmt.rps(one) + " (1 worker)", k == 1 ? "" : Fmt.ratio(r.rps() / one), "", null);
      }
    }
    ocr(run, device);
  }

  /** OCR's text on the device against the CPU's, for both bench images, when the models are here. */
  private static void ocr(Run run, String device) throws Exception {
    Path root = LocalCluster.repoRoot();
    Path models = Example.ocrModels(root);
    if (!Files.isRegularFile(models.resolve("ch_PP-OCRv4_rec_infer.onnx"))) {
      run.note("OCR: its models are not in examples/ocr/models (examples/ocr/download_models.sh): no OCR comparison.");
      return;
    }
    List<Path> images = List.of(root.resolve("examples/ocr/sample.png"), TextPage.write(run.work.resolve("gpu-page.png")));
    List<String> cpuText = new ArrayList<>();
    List<String> deviceText = new ArrayList<>();
    for (String d : List.of("cpu", device)) {
      try (BenchCluster cluster = run.track(BenchCluster.start(Example.OCR, JvmProfile.FULL))) {
        Node worker = cluster.startWorker("ocr", d, JvmProfile.OCR);
        if (!d.equals("cpu")) {
          run.note("The OCR worker on `" + d + "` runs on: " + sessionDevice(worker) + ".");
        }
        for (Path image : images) {
          HttpResponse<String> r = upload(cluster, "/ocr", "image", image);
          if (r.statusCode() != 200) {
            throw new IllegalStateException("ocr on " + d + " answered " + r.statusCode() + ": " + r.body());
          }
          (d.equals("cpu") && cpuText.size() < images.size() ? cpuText : deviceText).add(text(r.body()));
        }
      }
    }
    int same = 0;
    for (int i = 0; i < images.size(); i++) {
      same += cpuText.get(i).equals(deviceText.get(i)) ? 1 : 0;
    }
    run.row("OCR on " + device + " against cpu: images read to the same text", same + " of " + images.size(), "",
        "", "all", same == images.size());
  }

  private static String text(String body) {
    return new JsonObject(body).getString("text", "");
  }

  /** One multipart upload of {@code file} as field {@code field}. */
  private static HttpResponse<String> upload(BenchCluster cluster, String path, String field, Path file) throws Exception {
    String boundary = "modelserve-bench-" + System.nanoTime();
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
        + file.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] data = Files.readAllBytes(file);
    byte[] all = new byte[head.length + data.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(data, 0, all, head.length, data.length);
    System.arraycopy(tail, 0, all, head.length + data.length, tail.length);
    return cluster.local().send(HttpRequest.newBuilder(cluster.uri(path))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(all)).build());
  }

  private static JsonArray vectors(BenchCluster cluster) {
    JsonObject body = new JsonObject().put("input", new JsonArray(SENTENCES));
    HttpResponse<String> r = cluster.local().send(HttpRequest.newBuilder(cluster.uri(EmbeddingWork.PATH))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("embeddings answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body()).getJsonArray("data");
  }

  private static double cosine(JsonArray x, JsonArray y) {
    double dot = 0;
    double nx = 0;
    double ny = 0;
    for (int i = 0; i < x.size(); i++) {
      double a = x.getDouble(i);
      double b = y.getDouble(i);
      dot += a * b;
      nx += a * a;
      ny += b * b;
    }
    return dot / Math.sqrt(nx * ny);
  }

  /** The line in which the worker says where its session runs (CPU, CUDA, or a fallback and why). */
  private static String sessionDevice(Node worker) {
    for (String line : worker.logText().split("\n")) {
      // Embeddings: "all-MiniLM-L6-v2 loaded on CUDA (GPU 0): ..."; OCR: "OCR runs on CUDA with ..."
      if (line.contains(" loaded on ") || line.contains("OCR runs on ")) {
        return "`" + line.replaceFirst("^.*?(\\S+ loaded on |OCR runs on )", "$1").trim() + "`";
      }
    }
    return "(the worker's log does not say)";
  }
}
