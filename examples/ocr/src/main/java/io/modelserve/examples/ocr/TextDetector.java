package io.modelserve.examples.ocr;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.List;

/**
 * PP-OCRv4 text detection as a DJL translator: resize and normalise the page, run the DB
 * network, and turn its probability map into boxes in the page's own pixel coordinates.
 */
final class TextDetector implements Translator<BgrImage, List<Quad>> {

  /** ImageNet statistics, applied to channels in B, G, R order exactly as PaddleOCR does. */
  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};
  private static final String SOURCE = "source";

  private final int maxSide;
  private final DbPostProcess post;

  TextDetector(int maxSide, DbPostProcess post) {
    this.maxSide = maxSide;
    this.post = post;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, BgrImage image) {
    int[] size = inputSize(image.width(), image.height(), maxSide);
    float[] chw = new float[3 * size[0] * size[1]];
    image.resizeNormalizedChw(size[0], size[1], size[0], MEAN, STD, chw);
    ctx.setAttachment(SOURCE, image);
    return new NDList(ctx.getNDManager().create(chw, new Shape(1, 3, size[1], size[0])));
  }

  @Override
  public List<Quad> processOutput(TranslatorContext ctx, NDList list) {
    BgrImage source = (BgrImage) ctx.getAttachment(SOURCE);
    long[] shape = list.get(0).getShape().getShape();
    int mapH = (int) shape[shape.length - 2];
    int mapW = (int) shape[shape.length - 1];
    return post.boxes(list.get(0).toFloatArray(), mapW, mapH, source.width(), source.height());
  }

  /** The network wants sides that are multiples of 32 (its stride); large pages are shrunk. */
  static int[] inputSize(int width, int height, int maxSide) {
    double ratio = Math.max(width, height) > maxSide ? (double) maxSide / Math.max(width, height) : 1;
    int w = Math.max((int) Math.rint(width * ratio / 32) * 32, 32);
    int h = Math.max((int) Math.rint(height * ratio / 32) * 32, 32);
    return new int[] {w, h};
  }

  @Override
  public Batchifier getBatchifier() {
    // pages differ in size, and the ONNX Runtime engine cannot stack arrays anyway
    return null;
  }
}
