package io.modelserve.examples.imagetotext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelserve.examples.seq2seq.TinyModels;
import io.modelserve.testing.HeadlessChromium;
import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Multipart uploads through a real controller JVM and worker JVM on the tiny captioner, and the
 * example's index.html in headless Chromium (Debian's chromium and chromium-driver).
 */
class ImageToTextClusterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static LocalCluster cluster;
  private static Path model;
  private static HeadlessChromium chromium;

  @BeforeAll
  static void start() throws Exception {
    model = TinyModels.writeCaptioner(dir.resolve("tiny-captioner"));
    cluster = LocalCluster.builder(ImageToText.class.getName())
        .jvmArgs("-Xmx384m")
        .start();
    cluster.startWorker("custom", "cpu", "--set", ImageToText.MODEL + "=" + model);
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
    LocalCluster.Node second = cluster.startWorker("custom", "cpu", "--set", ImageToText.MODEL + "=" + model);
    second.terminate();
    assertTrue(second.awaitExit(Duration.ofSeconds(30)), "the worker left");
    String log = second.logText();
    int drained = log.indexOf("drained");
    int closed = log.indexOf("image-to-text closed (model released)");
    assertTrue(drained >= 0 && closed > drained, "close() after the drain:\n" + log);
  }

  @Test
  void aModelFolderThatDoesNotExistStopsTheWorkerNamingTheSettingAndTheFolder() {
    Path missing = dir.resolve("no-model-here");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> cluster.startWorker("custom", "cpu", "--set", ImageToText.MODEL + "=" + missing));
    String log = e.getMessage();
    assertTrue(log.contains("setting 'model': no folder " + missing), log);
    assertTrue(log.contains("image-to-text closed (no model was loaded)"), "close() ran after the failed init:\n" + log);
  }

  private static HttpResponse<String> post(String fileName, String type, byte[] bytes) {
    String boundary = "caption-test-boundary-51c2";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\""
        + fileName + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(bytes);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return cluster.send(HttpRequest.newBuilder(cluster.uri("/custom"))
        .header("content-type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
  }

  @Test
  void captionsAnUploadedJpegAsJson() throws Exception {
    HttpResponse<String> r = post("sky.jpg", "image/jpeg", TestImages.picture(Color.BLUE, 800, 600, "jpg"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("a blue sky", JSON.readTree(r.body()).get("text").asText());
  }

  @Test
  void bytesThatAreNotAnImageAreA400WithAJsonError() throws Exception {
    HttpResponse<String> r = post("notes.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(JSON.readTree(r.body()).get("error").asText().contains("not an image"), r.body());
  }

  @Test
  void anEmptyUploadIsA400() throws Exception {
    HttpResponse<String> r = post("empty.png", "image/png", new byte[0]);
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(JSON.readTree(r.body()).has("error"), r.body());
  }

  @Test
  void thePageShowsTheUploadAndItsCaption() throws Exception {
    Path image = Files.createTempFile(dir, "field", ".png");
    Files.write(image, TestImages.picture(Color.GREEN, 320, 240, "png"));
    WebDriver page = browser();
    page.get(cluster.uri("/").toString());
    page.findElement(By.id("file")).sendKeys(image.toString());
    Poll.until(Duration.ofSeconds(30), "the page shows the caption",
        () -> page.findElement(By.id("status")).getText().endsWith(" ms"));
    assertEquals("a green field", page.findElement(By.id("caption")).getText());
    assertTrue(page.findElement(By.id("preview")).isDisplayed(), "the preview shows the upload");
  }

  @Test
  void thePageShowsTheServersErrorForANonImage() throws Exception {
    Path notes = Files.createTempFile(dir, "notes", ".txt");
    Files.writeString(notes, "not an image");
    WebDriver page = browser();
    page.get(cluster.uri("/").toString());
    page.findElement(By.id("file")).sendKeys(notes.toString());
    Poll.until(Duration.ofSeconds(30), "the page shows the error",
        () -> page.findElement(By.id("caption")).getText().startsWith("Error 400"));
    assertTrue(page.findElement(By.id("caption")).getText().contains("not an image"));
  }

  /** Started by the first page test only, so that the JSON tests need no browser. */
  private static synchronized WebDriver browser() throws IOException {
    if (chromium == null) {
      chromium = HeadlessChromium.start();
    }
    return chromium.driver();
  }
}
