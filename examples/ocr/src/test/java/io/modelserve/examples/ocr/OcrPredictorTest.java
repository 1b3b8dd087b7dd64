package io.modelserve.examples.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OcrPredictorTest {

  private static OcrPredictor ocr;

  @BeforeAll
  static void loadModels() throws Exception {
    ocr = OcrPredictor.load(TestImages.models(), "cpu");
  }

  @AfterAll
  static void close() {
    if (ocr != null) {
      ocr.close();
    }
  }

  private static List<String> read(BufferedImage image) throws Exception {
    long start = System.nanoTime();
    OcrResult result = ocr.recognize(image);
    System.out.printf("%dx%d in %d ms: %s%n", image.getWidth(), image.getHeight(),
        (System.nanoTime() - start) / 1_000_000, result.lines());
    return result.lines().stream().map(OcrResult.Line::text).toList();
  }

  @Test
  void readsEnglishLinesTopToBottom() throws Exception {
    List<String> lines = List.of("Hello World 2026", "Model Serve for the JVM",
        "Quick brown fox, 42 jumps!");
    assertEquals(lines, read(TestImages.page(TestImages.latinFont(), lines)));
  }

  @Test
  void readsChineseLines() throws Exception {
    List<String> lines = List.of("你好，世界", "模型服务框架", "欢迎使用光学字符识别");
    assertEquals(lines, read(TestImages.page(TestImages.cjkFont(), lines)));
  }

  @Test
  void readsChineseMixedWithLatin() throws Exception {
    // no spaces between scripts: whether one is there is a typographic choice the model
    // cannot see reliably, so the page states none
    List<String> lines = List.of("版本2026", "使用Java编写的服务");
    assertEquals(lines, read(TestImages.page(TestImages.cjkFont(), lines)));
  }

  @Test
  void answersTextBoxesAndConfidence() throws Exception {
    BufferedImage image = TestImages.page(TestImages.latinFont(), List.of("Hello", "World"));
    OcrResult result = ocr.recognize(image);
    assertEquals("Hello\nWorld", result.text());
    assertEquals(image.getWidth(), result.width());
    assertEquals(image.getHeight(), result.height());
    OcrResult.Line first = result.lines().get(0);
    OcrResult.Line second = result.lines().get(1);
    assertTrue(first.confidence() > 0.9f && first.confidence() <= 1f, "confidence " + first.confidence());
    for (int[] corner : first.box()) {
      assertTrue(corner[0] >= 0 && corner[0] < image.getWidth() && corner[1] >= 0
          && corner[1] < image.getHeight(), "corner inside the image");
    }
    assertTrue(first.box()[3][1] <= second.box()[0][1] + 5, "first line above the second");
  }

  @Test
  void findsNothingOnABlankPage() throws Exception {
    BufferedImage blank = TestImages.page(TestImages.latinFont(), List.of(""));
    OcrResult result = ocr.recognize(blank);
    assertEquals("", result.text());
    assertTrue(result.lines().isEmpty());
  }

  @Test
  void readsTheCommittedSampleAsTheReadmeSays() throws Exception {
    BufferedImage sample = javax.imageio.ImageIO.read(new java.io.File("sample.png"));
    assertEquals(List.of("Model Serve for the JVM", "Hello World 2026", "模型服务框架"), read(sample));
  }

  @Test
  void readsTextOnASlightlyRotatedPage() throws Exception {
    List<String> lines = List.of("Hello World 2026", "Model Serve for the JVM");
    BufferedImage page = TestImages.page(TestImages.latinFont(), lines);
    assertEquals(lines, read(TestImages.rotate(page, Math.toRadians(-6))));
  }

  @Test
  void readsALargePageThatTheDetectorScalesDown() throws Exception {
    // 96 px text on a 2400 px wide page: the detector sees the page at 960 px, text at 38 px
    List<String> lines = List.of("Large page", "Scaled for detection");
    BufferedImage page = TestImages.page(TestImages.latinFont().deriveFont(96f), lines);
    BufferedImage wide = TestImages.pad(page, 2400, page.getHeight());
    assertEquals(lines, read(wide));
  }
}
