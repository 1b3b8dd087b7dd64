package io.modelserve.examples.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** The example's index.html in headless Chromium, served by a real controller, answered by a worker. */
class OcrPageTest {

  /** Debian's packages; Selenium is told where they are so that it never downloads a browser. */
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private static LocalCluster cluster;
  private static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail("headless Chromium is needed: apt-get install chromium chromium-driver");
    }
    String models = TestImages.models().toString();
    cluster = LocalCluster.builder(OcrService.class.getName())
        .jvmArgs("-Xmx512m", "-D" + OcrService.MODELS_PROPERTY + "=" + models)
        .start();
    cluster.startWorker("ocr");
    // tests talk to loopback only: no background services, and no name resolves but loopback
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1200,800", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-default-apps", "--disable-sync",
            "--disable-domain-reliability", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
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
