package io.modelserve.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** A page of text drawn with Java2D: a second OCR input, larger than the sample, made on the spot. */
final class TextPage {

  private static final int WIDTH = 900;
  private static final int HEIGHT = 600;
  private static final String[] LINES = {
      "Model Serve for the JVM", "one controller, many workers", "throughput grows with workers",
      "requests wait only for a free worker", "PaddleOCR PP-OCRv4 on ONNX Runtime",
      "benchmarks compare against a baseline", "measured in the same run", "2 cores, shared machine"};

  private TextPage() {}

  static String describe() {
    return WIDTH + "x" + HEIGHT + " px, " + LINES.length + " lines";
  }

  static Path write(Path file) throws IOException {
    BufferedImage page = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = page.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 30));
      for (int i = 0; i < LINES.length; i++) {
        g.drawString(LINES[i], 40, 60 + i * 68);
      }
    } finally {
      g.dispose();
    }
    Files.createDirectories(file.getParent());
    ImageIO.write(page, "png", file.toFile());
    return file;
  }
}
