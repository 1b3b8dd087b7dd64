package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.HeadlessChromium;
import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The example's index.html, served at / by the controller, in headless Chromium. */
class EchoPageTest {

  static HeadlessChromium chromium;
  static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    chromium = HeadlessChromium.start();
    cluster = LocalCluster.builder(Main.class.getName()).start();
    cluster.startWorker("echo");
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
  void typedTextComesBackThroughAWorkerOnThePage() {
    WebDriver browser = chromium.driver();
    browser.get(cluster.uri("/").toString());
    WebElement text = browser.findElement(By.id("text"));
    text.clear();
    text.sendKeys("grüße aus dem Browser");
    browser.findElement(By.id("send")).click();
    Poll.until(Duration.ofSeconds(30), "the page shows the answer",
        () -> browser.findElement(By.id("answer")).getText().contains("grüße aus dem Browser"));
    String answer = browser.findElement(By.id("answer")).getText();
    assertTrue(answer.contains("\"device\": \"cpu\""), answer);
  }
}
