package io.modelserve.examples.ocr;

/**
 * A four-cornered text region in image pixels, corners in the order top-left, top-right,
 * bottom-right, bottom-left, as PaddleOCR reports them.
 *
 * @param xy {@code x0, y0, x1, y1, x2, y2, x3, y3}
 */
public record Quad(float[] xy) {

  public Quad {
    if (xy.length != 8) {
      throw new IllegalArgumentException("a quad has 4 corners");
    }
  }

  public float x(int corner) {
    return xy[corner * 2];
  }

  public float y(int corner) {
    return xy[corner * 2 + 1];
  }

  /** The longer of the top and bottom edges. */
  public float width() {
    return Math.max(dist(0, 1), dist(3, 2));
  }

  /** The longer of the left and right edges. */
  public float height() {
    return Math.max(dist(0, 3), dist(1, 2));
  }

  private float dist(int a, int b) {
    return (float) Math.hypot(x(a) - x(b), y(a) - y(b));
  }

  /** Corners rounded to whole pixels, {@code [[x, y], ...]}, for JSON answers. */
  public int[][] points() {
    int[][] points = new int[4][2];
    for (int i = 0; i < 4; i++) {
      points[i][0] = Math.round(x(i));
      points[i][1] = Math.round(y(i));
    }
    return points;
  }

  /**
   * Orders four corners the way PaddleOCR's {@code get_mini_boxes} does: the two leftmost
   * points give top-left and bottom-left by their height, the two rightmost the other two.
   */
  static Quad ordered(float[][] corners) {
    float[][] p = corners.clone();
    java.util.Arrays.sort(p, (a, b) -> Float.compare(a[0], b[0]));
    float[] tl = p[0][1] <= p[1][1] ? p[0] : p[1];
    float[] bl = p[0][1] <= p[1][1] ? p[1] : p[0];
    float[] tr = p[2][1] <= p[3][1] ? p[2] : p[3];
    float[] br = p[2][1] <= p[3][1] ? p[3] : p[2];
    return new Quad(new float[] {tl[0], tl[1], tr[0], tr[1], br[0], br[1], bl[0], bl[1]});
  }
}
