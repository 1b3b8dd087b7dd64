package io.modelserve.examples.ocr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.List;

/**
 * PP-OCRv4 text recognition as a DJL translator: one straightened line image in, its text and
 * confidence out, decoded greedily from the network's per-column class probabilities (CTC).
 */
final class TextRecognizer implements Translator<BgrImage, TextRecognizer.Recognition> {

  /** A recognised line: its text and the mean probability of the characters kept. */
  record Recognition(String text, float confidence) {}

  static final int HEIGHT = 48;
  /** PaddleOCR pads every line to at least this width: narrower inputs hurt accuracy. */
  static final int MIN_WIDTH = 320;
  /** PaddleOCR's normalisation, {@code (x / 255 - 0.5) / 0.5}, on every channel. */
  private static final float[] HALF = {0.5f, 0.5f, 0.5f};

  /** Index 0 is the CTC blank, then the dictionary's lines, then the space character. */
  private final List<String> classes;

  TextRecognizer(List<String> classes) {
    this.classes = classes;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, BgrImage line) {
    double ratio = (double) line.width() / line.height();
    int width = (int) (HEIGHT * Math.max((double) MIN_WIDTH / HEIGHT, ratio));
    int resized = Math.min(width, (int) Math.ceil(HEIGHT * ratio));
    // zeros are mid-grey after normalisation: the padding PaddleOCR uses
    float[] chw = new float[3 * HEIGHT * width];
    line.resizeNormalizedChw(Math.max(resized, 1), HEIGHT, width, HALF, HALF, chw);
    return new NDList(ctx.getNDManager().create(chw, new Shape(1, 3, HEIGHT, width)));
  }

  @Override
  public Recognition processOutput(TranslatorContext ctx, NDList list) {
    NDArray probs = list.get(0);
    long[] shape = probs.getShape().getShape();
    int steps = (int) shape[1];
    int numClasses = (int) shape[2];
    if (numClasses != classes.size()) {
      throw new IllegalStateException("recogniser has " + numClasses
          + " classes but the dictionary gives " + classes.size());
    }
    return decode(probs.toFloatArray(), steps, numClasses);
  }

  /** Greedy CTC: best class per column, merge repeats, drop blanks. */
  Recognition decode(float[] probs, int steps, int numClasses) {
    StringBuilder text = new StringBuilder();
    double confidence = 0;
    int kept = 0;
    int previous = -1;
    for (int t = 0; t < steps; t++) {
      int best = 0;
      float bestP = probs[t * numClasses];
      for (int c = 1; c < numClasses; c++) {
        float p = probs[t * numClasses + c];
        if (p > bestP) {
          best = c;
          bestP = p;
        }
      }
      if (best != 0 && best != previous) {
        text.append(classes.get(best));
        confidence += bestP;
        kept++;
      }
      previous = best;
    }
    return new Recognition(text.toString(), kept == 0 ? 0f : (float) (confidence / kept));
  }

  @Override
  public Batchifier getBatchifier() {
    return null;
  }
}
