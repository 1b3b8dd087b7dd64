package io.modelserve.bench;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.LocalCluster.Node;
import io.modelserve.tools.LoadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 4: PaddleOCR through controller + 1 worker against the same predictor called in a
 * loop in one JVM, same images, same number of calls each. The in-process baseline runs
 * before and after the cluster and is averaged, so drift in the machine's load over the
 * scenario falls on both sides.
 */
final class OcrScenario implements Scenario {

  static final double MIN_RATIO = 0.95;

  @Override
  public String title() {
    return "4. Real model (OCR)";
  }

  @Override
  public long limitSeconds(Settings s) {
    return s.quick() ? 90 : 300;
  }

  @Override
  public void run(Run run) throws Exception {
    Settings s = run.settings;
    Path root = LocalCluster.repoRoot();
    Path models = Example.ocrModels(root);
    if (!modelsPresent(run, root, models)) {
      return;
    }
    List<Path> images = List.of(root.resolve("examples/ocr/sample.png"), TextPage.write(run.work.resolve("page.png")));
    int perImage = s.ocrRequestsPerImage();
    int half = Math.max(1, perImage / 2);

    Map<String, double[]> before = inProcess(run, models, half, images, "before");

    Map<String, Double> p50ByImage = new LinkedHashMap<>();
    double clusterSeconds = 0;
    long clusterCalls = 0;
    double idleRss;
    double loadedRss;
    try (BenchCluster cluster = run.track(BenchCluster.start(Example.OCR, JvmProfile.FULL))) {
      Node worker = cluster.startWorker("ocr", "cpu", JvmProfile.OCR);
      idleRss = ProcStats.rssMiB(worker.pid());
      try (ProcessMeter m = ProcessMeter.start(Map.of("worker", worker.pid()))) {
        for (Path image : images) {
          Load load = Load.upload(cluster.url("/ocr"), "image", image);
          load.count(1, 3);
          // one connection: the latency of one image, no queueing behind another
          LoadResult one = Load.checked(load.count(1, s.ocrLatencyRequests()), "OCR latency");
          p50ByImage.put(image.getFileName().toString(), one.p50Ms());
          // two connections: the controller always holds the next image while the worker reads one
          LoadResult r = Load.checked(load.count(2, perImage), "OCR throughput");
          clusterSeconds += r.durationSeconds();
          clusterCalls += r.requests();
          run.command(load.countCommand(1, s.ocrLatencyRequests()) + "   # latency");
          run.command(load.countCommand(2, perImage) + "   # throughput");
        }
        m.close();
        loadedRss = m.maxRssMiB("worker");
      }
    }
    Map<String, double[]> after = inProcess(run, models, half, images, "after");

    double baseSeconds = 0;
    long baseCalls = 0;
    for (Map<String, double[]> side : List.of(before, after)) {
      for (double[] v : side.values()) {
        baseCalls += (long) v[0];
        baseSeconds += v[1];
      }
    }
    double clusterRate = clusterCalls / clusterSeconds;
    double baseRate = baseCalls / baseSeconds;
    double ratio = clusterRate / baseRate;
    run.row("throughput, " + images.size() + " images x " + perImage + " calls", Fmt.num(clusterRate, 2) + " img/s",
        Fmt.num(baseRate, 2) + " img/s (in-process)", Fmt.ratio(ratio), "ratio ≥ " + MIN_RATIO, ratio >= MIN_RATIO);
    for (Path image : images) {
      String name = image.getFileName().toString();
      double baseP50 = (before.get(name)[2] + after.get(name)[2]) / 2;
      run.row("p50 latency per image, " + name + " (1 connection)", Fmt.ms(p50ByImage.get(name)),
          Fmt.ms(baseP50) + " (in-process)", Fmt.signed(Fmt.ms(p50ByImage.get(name) - baseP50)), "", null);
    }
    run.row("RSS of the OCR worker, idle / loaded", Fmt.mib(idleRss) + " / " + Fmt.mib(loadedRss), "", "", "", null);
    run.note("Images: examples/ocr/sample.png and a rendered page of English text (" + TextPage.describe()
        + "). The in-process loop ran " + half + " calls per image before and again after the cluster.");
  }

  /** Per image: {calls, seconds, p50 ms, mean ms}. */
  private Map<String, double[]> inProcess(Run run, Path models, int calls, List<Path> images, String when) {
    List<String> args = new ArrayList<>(List.of(models.toString(), "3", "" + calls));
    images.forEach(p -> args.add(p.toString()));
    ChildJvm jvm = run.track(ChildJvm.start(JvmProfile.OCR, run.work.resolve("ocr-inprocess-" + when + ".log"),
        OcrInProcess.class.getName(), args.toArray(String[]::new)));
    String out = jvm.awaitOutput(240);
    run.command(jvm.commandLine().replace(run.work.toString(), "<work>").replace(models.toString(), "examples/ocr/models")
        + "   # in-process baseline, " + when);
    Map<String, double[]> byImage = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("RESULT ")) {
        String[] f = line.trim().split(" ");
        byImage.put(f[1], new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3]),
            Double.parseDouble(f[4]), Double.parseDouble(f[5])});
      }
    }
    run.log("in-process " + when + ": " + byImage.keySet());
    return byImage;
  }

  private boolean modelsPresent(Run run, Path root, Path models) throws IOException, InterruptedException {
    if (Files.isRegularFile(models.resolve("ch_PP-OCRv4_rec_infer.onnx"))
        && Files.isRegularFile(models.resolve("ch_PP-OCRv4_det_infer.onnx"))) {
      return true;
    }
    run.log("OCR models absent; trying examples/ocr/download_models.sh");
    Process p = new ProcessBuilder("bash", root.resolve("examples/ocr/download_models.sh").toString())
        .redirectErrorStream(true).redirectOutput(run.work.resolve("ocr-download.log").toFile()).start();
    if (p.waitFor(3, TimeUnit.MINUTES) && p.exitValue() == 0) {
      return true;
    }
    p.destroyForcibly();
    run.results.problem(run.scenario, "skipped: the OCR models are absent from examples/ocr/models and"
        + " examples/ocr/download_models.sh could not fetch them (see " + run.work.resolve("ocr-download.log") + ")");
    return false;
  }
}
