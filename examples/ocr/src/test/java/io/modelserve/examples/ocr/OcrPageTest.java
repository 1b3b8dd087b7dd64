package io.modelserve.examples.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.HeadlessChromium;
import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/** The example's index.html in headless Chromium, served by a real controller, answered by a worker. */
class OcrPageTest {

  private static HeadlessChromium chromium;
  private static LocalCluster cluster;
  private static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    chromium = HeadlessChromium.start();
    browser = chromium.driver();
    String models = TestImages.models().toString();
    cluster = LocalCluster.builder(OcrService.class.getName())
        .jvmArgs("-Xmx512m")
        .start();
    cluster.startWorker("ocr", "cpu", "--set", OcrService.MODELS + "=" + models);
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void uploadedImageShowsItsTextAndBoxes() throws Exception {
    List<String> expected = List.of("Hello World 2026", "模型服务框架");
    Path image = Files.createTempFile("ocr-page", ".png");
    try {
      Files.write(image, TestImages.encode(TestImages.page(TestImages.cjkFont(), expected), "png"));
      browser.get(cluster.uri("/").toString());
      browser.findElement(By.id("file")).sendKeys(image.toString());
      Poll.until(Duration.ofSeconds(30), "the page shows the answer",
          () -> browser.findElement(By.id("status")).getText().contains(" ms "));
      assertEquals(String.join("\n", expected), browser.findElement(By.id("text")).getText());
      assertEquals(expected.size(), browser.findElements(By.cssSelector("#lines li")).size());
      // boxes are drawn in the page's blue over the image: some canvas pixel must be blue
      Object blue = ((JavascriptExecutor) browser).executeScript(
          "const c = document.getElementById('canvas'); const d = c.getContext('2d')"
              + ".getImageData(0, 0, c.width, c.height).data;"
              + "for (let i = 0; i < d.length; i += 4) { if (d[i + 2] > 200 && d[i] < 80) return true; }"
              + "return false;");
      assertTrue(Boolean.TRUE.equals(blue), "a box is drawn on the canvas");
    } finally {
      Files.deleteIfExists(image);
    }
  }

  @Test
  void nonImageUploadShowsTheServersError() throws Exception {
    Path notes = Files.createTempFile("ocr-page", ".txt");
    try {
      Files.writeString(notes, "not an image");
      browser.get(cluster.uri("/").toString());
      browser.findElement(By.id("file")).sendKeys(notes.toString());
      Poll.until(Duration.ofSeconds(30), "the page shows the error",
          () -> browser.findElement(By.id("status")).getText().startsWith("Error 400"));
      assertTrue(browser.findElement(By.id("status")).getText().contains("not an image"));
    } finally {
      Files.deleteIfExists(notes);
    }
  }
}
