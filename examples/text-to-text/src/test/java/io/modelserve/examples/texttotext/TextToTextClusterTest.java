package io.modelserve.examples.texttotext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelserve.examples.seq2seq.TinyModels;
import io.modelserve.testing.HeadlessChromium;
import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The whole path, tokenizer to JSON answer, through a real controller JVM and worker JVM on the
 * tiny T5, and the example's index.html in headless Chromium (Debian's chromium and
 * chromium-driver; Selenium is told where they are so it never downloads a browser).
 */
class TextToTextClusterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static LocalCluster cluster;
  private static Path model;
  private static HeadlessChromium chromium;

  @BeforeAll
  static void start() throws Exception {
    model = TinyModels.writeT5(dir.resolve("tiny-t5"));
    cluster = LocalCluster.builder(TextToText.class.getName())
        .jvmArgs("-Xmx384m")
        .start();
    cluster.startWorker("custom", "cpu", "--set", TextToText.MODEL + "=" + model);
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
  void aStoppedWorkerClosesItsModelOnceItHasDrained() {
    LocalCluster.Node second = cluster.startWorker("custom", "cpu", "--set", TextToText.MODEL + "=" + model);
    second.terminate();
    assertTrue(second.awaitExit(Duration.ofSeconds(30)), "the worker left");
    String log = second.logText();
    int drained = log.indexOf("drained");
    int closed = log.indexOf("text-to-text closed (model released)");
    assertTrue(drained >= 0 && closed > drained, "close() after the drain:\n" + log);
  }

  @Test
  void aModelFolderThatDoesNotExistStopsTheWorkerNamingTheSettingAndTheFolder() {
    Path missing = dir.resolve("no-model-here");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> cluster.startWorker("custom", "cpu", "--set", TextToText.MODEL + "=" + missing));
    String log = e.getMessage();
    assertTrue(log.contains("setting 'model': no folder " + missing), log);
    assertTrue(log.contains("text-to-text closed (no model was loaded)"), "close() ran after the failed init:\n" + log);
  }

  private static HttpResponse<String> ask(String text) {
    return cluster.get("/custom?text=" + URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20"));
  }

  @Test
  void answersTheOriginalsQuestionAsJson() throws Exception {
    HttpResponse<String> r = ask("translate English to German: How old are you?");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("Wie alt bist du?", JSON.readTree(r.body()).get("text").asText());
  }

  @Test
  void maxNewTokensTravelsWithTheQuery() throws Exception {
    HttpResponse<String> r = cluster.get("/custom?text=hello%20world&max_new_tokens=1");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("hallo", JSON.readTree(r.body()).get("text").asText());
  }

  @Test
  void withStreamTrueTheTokensComeAsServerSentEventsThroughTheCluster() throws Exception {
    HttpResponse<String> r = cluster.get("/custom?text=hello%20world&stream=true");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"), r.headers().toString());
    assertTrue(r.body().startsWith("event: token\ndata: {\"text\":\"hallo\"}\n\n"), r.body());
    assertTrue(r.body().endsWith("event: done\ndata: {\"text\":\"hallo welt\"}\n\n"), r.body());
  }

  @Test
  void aMissingTextIsA400WithAJsonError() throws Exception {
    HttpResponse<String> r = cluster.get("/custom");
    assertEquals(400, r.statusCode(), r.body());
    JsonNode error = JSON.readTree(r.body());
    assertTrue(error.get("error").asText().contains("text"), r.body());
  }

  @Test
  void thePageShowsTheAnswerToTypedText() throws Exception {
    WebDriver page = browser();
    page.get(cluster.uri("/").toString());
    WebElement text = page.findElement(By.id("text"));
    text.clear();
    text.sendKeys("translate English to German: hello world");
    page.findElement(By.id("send")).click();
    Poll.until(Duration.ofSeconds(30), "the page shows the answer",
        () -> page.findElement(By.id("status")).getText().endsWith(" ms"));
    assertEquals("hallo welt", page.findElement(By.id("answer")).getText());
  }

  @Test
  void thePageShowsTheServersErrorForBlankText() throws Exception {
    WebDriver page = browser();
    page.get(cluster.uri("/").toString());
    WebElement text = page.findElement(By.id("text"));
    text.clear();
    text.sendKeys("   ");
    page.findElement(By.id("send")).click();
    Poll.until(Duration.ofSeconds(30), "the page shows the error",
        () -> page.findElement(By.id("answer")).getAttribute("class").contains("error"));
    assertTrue(page.findElement(By.id("answer")).getText().contains("text"));
  }

  /** Started by the first page test only, so that the JSON tests need no browser. */
  private static synchronized WebDriver browser() throws IOException {
    if (chromium == null) {
      chromium = HeadlessChromium.start();
    }
    return chromium.driver();
  }
}
