package io.modelserve.examples.ocr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the DB (differentiable binarisation) probability map into text boxes, following
 * PaddleOCR's {@code DBPostProcess}: threshold the map, take each connected region, fit its
 * minimum-area rectangle, drop regions whose mean probability is low, and grow ("unclip") the
 * rectangle, because DB is trained to predict shrunken text kernels.
 *
 * @param threshold probability above which a pixel is text
 * @param boxThreshold minimum mean probability inside a box
 * @param unclipRatio how far a kernel is grown: by {@code area * ratio / perimeter}
 * @param maxCandidates regions considered at most, as a guard against noise images
 */
public record DbPostProcess(float threshold, float boxThreshold, float unclipRatio,
    int maxCandidates) {

  /**
   * PaddleOCR's inference defaults, except the unclip ratio: with PaddleOCR's 1.5 the crops
   * are so tight that PP-OCRv4's recogniser drops most spaces between English words (a known
   * weakness, PaddleOCR issues 11386 and 8185, where its authors advise larger boxes). 2.5 read
   * every space on the rendered test pages in three fonts at 24 to 40 px; 2.0 missed some.
   */
  public static final DbPostProcess DEFAULT = new DbPostProcess(0.3f, 0.6f, 2.5f, 1000);

  private static final float MIN_SIDE = 3;

  /**
   * @param prob the map, {@code mapW * mapH} values in row-major order
   * @return boxes in the coordinates of the {@code srcW x srcH} image the map was computed for
   */
  public List<Quad> boxes(float[] prob, int mapW, int mapH, int srcW, int srcH) {
    int[] labels = new int[mapW * mapH];
    int next = 0;
    int[] queue = new int[mapW * mapH];
    List<Quad> boxes = new ArrayList<>();
    for (int start = 0; start < prob.length && next < maxCandidates; start++) {
      if (labels[start] != 0 || prob[start] <= threshold) {
        continue;
      }
      int label = ++next;
      int size = collect(prob, mapW, mapH, labels, label, start, queue);
      float[][] rect = minAreaRect(hull(queue, size, mapW, mapH));
      if (rect == null || shortSide(rect) < MIN_SIDE) {
        continue;
      }
      Quad kernel = Quad.ordered(rect);
      if (meanInside(prob, mapW, mapH, kernel) < boxThreshold) {
        continue;
      }
      Quad grown = unclip(kernel);
      if (Math.min(grown.width(), grown.height()) < MIN_SIDE + 2) {
        continue;
      }
      Quad scaled = scale(grown, (float) srcW / mapW, (float) srcH / mapH, srcW, srcH);
      if (scaled.width() > MIN_SIDE && scaled.height() > MIN_SIDE) {
        boxes.add(scaled);
      }
    }
    return boxes;
  }

  /** 8-connected flood fill, the connectivity OpenCV's contours use; returns the pixel count. */
  private int collect(float[] prob, int w, int h, int[] labels, int label, int start,
      int[] queue) {
    int head = 0;
    int tail = 0;
    queue[tail++] = start;
    labels[start] = label;
    while (head < tail) {
      int p = queue[head++];
      int px = p % w;
      int py = p / w;
      for (int dy = -1; dy <= 1; dy++) {
        int ny = py + dy;
        if (ny < 0 || ny >= h) {
          continue;
        }
        for (int dx = -1; dx <= 1; dx++) {
          int nx = px + dx;
          if (nx < 0 || nx >= w) {
            continue;
          }
          int n = ny * w + nx;
          if (labels[n] == 0 && prob[n] > threshold) {
            labels[n] = label;
            queue[tail++] = n;
          }
        }
      }
    }
    return tail;
  }

  /** Convex hull (Andrew's monotone chain) of a region, from each row's two extreme pixels. */
  static float[][] hull(int[] pixels, int size, int w, int h) {
    int minY = Integer.MAX_VALUE;
    int maxY = -1;
    for (int i = 0; i < size; i++) {
      int y = pixels[i] / w;
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    int rows = maxY - minY + 1;
    int[] left = new int[rows];
    int[] right = new int[rows];
    Arrays.fill(left, Integer.MAX_VALUE);
    Arrays.fill(right, -1);
    for (int i = 0; i < size; i++) {
      int x = pixels[i] % w;
      int r = pixels[i] / w - minY;
      left[r] = Math.min(left[r], x);
      right[r] = Math.max(right[r], x);
    }
    List<float[]> points = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      if (right[r] >= 0) {
        points.add(new float[] {left[r], r + minY});
        if (right[r] != left[r]) {
          points.add(new float[] {right[r], r + minY});
        }
      }
    }
    points.sort((a, b) -> a[0] != b[0] ? Float.compare(a[0], b[0]) : Float.compare(a[1], b[1]));
    int n = points.size();
    if (n < 3) {
      return points.toArray(new float[0][]);
    }
    float[][] chain = new float[2 * n][];
    int k = 0;
    for (int i = 0; i < n; i++) {
      while (k >= 2 && cross(chain[k - 2], chain[k - 1], points.get(i)) <= 0) {
        k--;
      }
      chain[k++] = points.get(i);
    }
    for (int i = n - 2, lower = k + 1; i >= 0; i--) {
      while (k >= lower && cross(chain[k - 2], chain[k - 1], points.get(i)) <= 0) {
        k--;
      }
      chain[k++] = points.get(i);
    }
    return Arrays.copyOf(chain, k - 1);
  }

  private static float cross(float[] o, float[] a, float[] b) {
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  }

  /**
   * The smallest rectangle around a convex polygon: one of its sides lies on a hull edge, so
   * trying every edge direction is exact (rotating calipers, done plainly).
   *
   * @return the four corners, or {@code null} for a degenerate (line or point) hull
   */
  static float[][] minAreaRect(float[][] hull) {
    if (hull.length < 3) {
      return null;
    }
    float best = Float.MAX_VALUE;
    float[][] rect = null;
    for (int i = 0; i < hull.length; i++) {
      float[] a = hull[i];
      float[] b = hull[(i + 1) % hull.length];
      double len = Math.hypot(b[0] - a[0], b[1] - a[1]);
      if (len == 0) {
        continue;
      }
      float ux = (float) ((b[0] - a[0]) / len);
      float uy = (float) ((b[1] - a[1]) / len);
      float minU = Float.MAX_VALUE;
      float maxU = -Float.MAX_VALUE;
      float minV = Float.MAX_VALUE;
      float maxV = -Float.MAX_VALUE;
      for (float[] p : hull) {
        float u = p[0] * ux + p[1] * uy;
        float v = -p[0] * uy + p[1] * ux;
        minU = Math.min(minU, u);
        maxU = Math.max(maxU, u);
        minV = Math.min(minV, v);
        maxV = Math.max(maxV, v);
      }
      float area = (maxU - minU) * (maxV - minV);
      if (area < best) {
        best = area;
        rect = new float[][] {
            corner(minU, minV, ux, uy), corner(maxU, minV, ux, uy),
            corner(maxU, maxV, ux, uy), corner(minU, maxV, ux, uy)};
      }
    }
    return rect;
  }

  private static float[] corner(float u, float v, float ux, float uy) {
    return new float[] {u * ux - v * uy, u * uy + v * ux};
  }

  private static float shortSide(float[][] rect) {
    float a = (float) Math.hypot(rect[1][0] - rect[0][0], rect[1][1] - rect[0][1]);
    float b = (float) Math.hypot(rect[2][0] - rect[1][0], rect[2][1] - rect[1][1]);
    return Math.min(a, b);
  }

  /** Mean probability over the pixels the box covers (PaddleOCR's "fast" box score). */
  private static float meanInside(float[] prob, int w, int h, Quad q) {
    int minX = clamp((int) Math.floor(min(q, 0)), w - 1);
    int maxX = clamp((int) Math.ceil(max(q, 0)), w - 1);
    int minY = clamp((int) Math.floor(min(q, 1)), h - 1);
    int maxY = clamp((int) Math.ceil(max(q, 1)), h - 1);
    double sum = 0;
    int count = 0;
    for (int y = minY; y <= maxY; y++) {
      for (int x = minX; x <= maxX; x++) {
        if (inside(q, x, y)) {
          sum += prob[y * w + x];
          count++;
        }
      }
    }
    return count == 0 ? 0 : (float) (sum / count);
  }

  /** Point in the (convex, clockwise on screen) quad, with half a pixel of slack as rasterising has. */
  private static boolean inside(Quad q, float px, float py) {
    for (int i = 0; i < 4; i++) {
      int j = (i + 1) % 4;
      float ex = q.x(j) - q.x(i);
      float ey = q.y(j) - q.y(i);
      float len = (float) Math.hypot(ex, ey);
      if (len == 0) {
        continue;
      }
      float side = (ex * (py - q.y(i)) - ey * (px - q.x(i))) / len;
      if (side < -0.5f) {
        return false;
      }
    }
    return true;
  }

  /**
   * Grows the rectangle by {@code area * unclipRatio / perimeter} on every side. For a
   * rectangle this equals the minimum-area rectangle of PaddleOCR's round-joined polygon offset.
   */
  private Quad unclip(Quad k) {
    float w = k.width();
    float h = k.height();
    float d = w * h * unclipRatio / (2 * (w + h));
    float cx = (k.x(0) + k.x(1) + k.x(2) + k.x(3)) / 4;
    float cy = (k.y(0) + k.y(1) + k.y(2) + k.y(3)) / 4;
    float ux = (k.x(1) - k.x(0)) / Math.max(w, 1e-6f);
    float uy = (k.y(1) - k.y(0)) / Math.max(w, 1e-6f);
    float vx = (k.x(3) - k.x(0)) / Math.max(h, 1e-6f);
    float vy = (k.y(3) - k.y(0)) / Math.max(h, 1e-6f);
    float hw = w / 2 + d;
    float hh = h / 2 + d;
    return Quad.ordered(new float[][] {
        {cx - hw * ux - hh * vx, cy - hw * uy - hh * vy},
        {cx + hw * ux - hh * vx, cy + hw * uy - hh * vy},
        {cx + hw * ux + hh * vx, cy + hw * uy + hh * vy},
        {cx - hw * ux + hh * vx, cy - hw * uy + hh * vy}});
  }

  private static Quad scale(Quad q, float sx, float sy, int srcW, int srcH) {
    float[][] corners = new float[4][];
    for (int i = 0; i < 4; i++) {
      corners[i] = new float[] {
          Math.min(Math.max(Math.round(q.x(i) * sx), 0), srcW - 1),
          Math.min(Math.max(Math.round(q.y(i) * sy), 0), srcH - 1)};
    }
    return Quad.ordered(corners);
  }

  private static float min(Quad q, int axis) {
    return Math.min(Math.min(q.xy()[axis], q.xy()[2 + axis]),
        Math.min(q.xy()[4 + axis], q.xy()[6 + axis]));
  }

  private static float max(Quad q, int axis) {
    return Math.max(Math.max(q.xy()[axis], q.xy()[2 + axis]),
        Math.max(q.xy()[4 + axis], q.xy()[6 + axis]));
  }

  private static int clamp(int v, int hi) {
    return Math.max(0, Math.min(v, hi));
  }
}
