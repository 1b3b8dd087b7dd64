package io.modelserve.examples.ocr;

import java.util.List;

/**
 * What OCR found on one image.
 *
 * @param text every line's text, top to bottom, joined with {@code "\n"}
 * @param lines the lines in reading order
 * @param width the image's width in pixels
 * @param height the image's height in pixels
 */
public record OcrResult(String text, List<Line> lines, int width, int height) {

  /**
   * One detected and recognised line.
   *
   * @param text what it says
   * @param confidence mean probability of its characters, 0 to 1
   * @param box its corners in image pixels, {@code [[x, y] x 4]}, clockwise from top-left
   */
  public record Line(String text, float confidence, int[][] box) {}
}
