package io.modelserve.examples.ocr;

import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/** Renders the test pages and makes sure the models are on disk. */
final class TestImages {

  static final String CJK_FAMILY = "WenQuanYi Zen Hei";
  static final int FONT_SIZE = 36;

  private TestImages() {}

  /** The module's models directory, fetched by the example's own download script if absent. */
  static Path models() throws IOException, InterruptedException {
    Path module = Path.of("").toAbsolutePath();
    Path models = module.resolve("models");
    if (!Files.isRegularFile(models.resolve(OcrPredictor.REC_MODEL + ".onnx"))) {
      Process p = new ProcessBuilder("bash", module.resolve("download_models.sh").toString())
          .inheritIO().start();
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        fail("examples/ocr/download_models.sh failed; see its output above");
      }
    }
    return models;
  }

  static Font latinFont() {
    boolean dejaVu = Arrays.asList(families()).contains("DejaVu Sans");
    return new Font(dejaVu ? "DejaVu Sans" : Font.SANS_SERIF, Font.PLAIN, FONT_SIZE);
  }

  static Font cjkFont() {
    if (!Arrays.asList(families()).contains(CJK_FAMILY)) {
      fail("font '" + CJK_FAMILY + "' is not installed: apt-get install fonts-wqy-zenhei");
    }
    return new Font(CJK_FAMILY, Font.PLAIN, FONT_SIZE);
  }

  private static String[] families() {
    return GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames();
  }

  /** Black lines of text on white, left-aligned, generous margins, like a scanned page. */
  static BufferedImage page(Font font, List<String> lines) {
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D pg = probe.createGraphics();
    FontMetrics fm = pg.getFontMetrics(font);
    int width = lines.stream().mapToInt(fm::stringWidth).max().orElse(0) + 80;
    int lineHeight = (int) (fm.getHeight() * 1.6);
    pg.dispose();
    BufferedImage image = new BufferedImage(width, lineHeight * lines.size() + 60,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.setColor(Color.BLACK);
      g.setFont(font);
      for (int i = 0; i < lines.size(); i++) {
        g.drawString(lines.get(i), 40, 30 + i * lineHeight + fm.getAscent());
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /** Rotates about the centre onto a white page large enough to hold every corner. */
  static BufferedImage rotate(BufferedImage image, double radians) {
    double sin = Math.abs(Math.sin(radians));
    double cos = Math.abs(Math.cos(radians));
    int w = (int) Math.ceil(image.getWidth() * cos + image.getHeight() * sin);
    int h = (int) Math.ceil(image.getHeight() * cos + image.getWidth() * sin);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.translate(w / 2.0, h / 2.0);
      g.rotate(radians);
      g.drawImage(image, -image.getWidth() / 2, -image.getHeight() / 2, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Places the image at the top left of a larger white page. */
  static BufferedImage pad(BufferedImage image, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalArgumentException("no writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
