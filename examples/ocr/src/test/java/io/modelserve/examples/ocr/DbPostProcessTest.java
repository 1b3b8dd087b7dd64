package io.modelserve.examples.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DbPostProcessTest {

  /** A probability map with 1 inside the given rotated rectangle and 0 elsewhere. */
  private static float[] map(int w, int h, double cx, double cy, double len, double thick, double angle) {
    float[] prob = new float[w * h];
    double ux = Math.cos(angle);
    double uy = Math.sin(angle);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double u = (x - cx) * ux + (y - cy) * uy;
        double v = -(x - cx) * uy + (y - cy) * ux;
        if (Math.abs(u) <= len / 2 && Math.abs(v) <= thick / 2) {
          prob[y * w + x] = 1f;
        }
      }
    }
    return prob;
  }

  @Test
  void fitsTheMinimumAreaRectangleOfARotatedRegion() {
    double angle = Math.toRadians(20);
    List<Quad> boxes = new DbPostProcess(0.3f, 0.6f, 0f, 10)
        .boxes(map(200, 120, 100, 60, 120, 20, angle), 200, 120, 200, 120);
    assertEquals(1, boxes.size());
    Quad q = boxes.get(0);
    assertEquals(120, q.width(), 3);
    assertEquals(20, q.height(), 3);
    double slope = Math.atan2(q.y(1) - q.y(0), q.x(1) - q.x(0));
    assertEquals(angle, slope, Math.toRadians(2));
    assertTrue(q.x(0) < q.x(1) && q.y(0) < q.y(3), "corners start top-left, go clockwise");
  }

  @Test
  void unclipGrowsEverySideByAreaTimesRatioOverPerimeter() {
    float[] prob = map(300, 100, 150, 50, 200, 20, 0);
    Quad q = new DbPostProcess(0.3f, 0.6f, 1.5f, 10).boxes(prob, 300, 100, 300, 100).get(0);
    // the region's pixel centres span 200 x 20; d = 200 * 20 * 1.5 / (2 * 220) = 13.6
    assertEquals(200 + 2 * 13.6, q.width(), 2);
    assertEquals(20 + 2 * 13.6, q.height(), 2);
  }

  @Test
  void scalesBoxesToTheSourceImage() {
    float[] prob = map(100, 50, 50, 25, 60, 10, 0);
    Quad q = new DbPostProcess(0.3f, 0.6f, 0f, 10).boxes(prob, 100, 50, 400, 200).get(0);
    assertEquals(60 * 4, q.width(), 8);
    assertEquals(10 * 4, q.height(), 8);
  }

  @Test
  void dropsRegionsWhoseMeanProbabilityIsLow() {
    float[] prob = map(100, 50, 50, 25, 60, 10, 0);
    for (int i = 0; i < prob.length; i++) {
      prob[i] *= 0.5f;
    }
    assertTrue(DbPostProcess.DEFAULT.boxes(prob, 100, 50, 100, 50).isEmpty());
  }
}
