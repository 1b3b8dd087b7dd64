package io.modelserve.bench;

import io.modelserve.examples.ocr.BgrImage;
import io.modelserve.examples.ocr.OcrPredictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The OCR baseline: the predictor the OCR worker serves, called in a loop in one JVM with no
 * server around it. Each call decodes the image bytes and recognises them, as the service does
 * per request, one at a time, as the worker does on its device.
 *
 * <p>Usage: {@code OcrInProcess <models dir> <warm-up calls> <calls per image> <image>...};
 * prints one line per image: {@code RESULT <image> <calls> <seconds> <p50 ms> <mean ms>}.
 */
public final class OcrInProcess {

  private OcrInProcess() {}

  public static void main(String[] args) throws Exception {
    Path models = Path.of(args[0]);
    int warmup = Integer.parseInt(args[1]);
    int calls = Integer.parseInt(args[2]);
    List<Path> images = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      images.add(Path.of(args[i]));
    }
    try (OcrPredictor ocr = OcrPredictor.load(models, "cpu")) {
      for (Path image : images) {
        byte[] bytes = Files.readAllBytes(image);
        for (int i = 0; i < warmup; i++) {
          ocr.recognize(BgrImage.decode(bytes));
        }
        double[] ms = new double[calls];
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
          long t = System.nanoTime();
          ocr.recognize(BgrImage.decode(bytes));
          ms[i] = (System.nanoTime() - t) / 1e6;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double mean = Arrays.stream(ms).average().orElse(0);
        System.out.printf(Locale.ROOT, "RESULT %s %d %.4f %.3f %.3f%n", image.getFileName(), calls,
            seconds, Stats.median(ms), mean);
      }
    }
  }
}
