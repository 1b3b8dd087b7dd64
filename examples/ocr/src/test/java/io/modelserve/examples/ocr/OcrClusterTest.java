package io.modelserve.examples.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelserve.testing.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OCR end to end: images posted to a real controller JVM, answered by a real worker JVM. */
class OcrClusterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalCluster cluster;
  private static LocalCluster.Node worker;
  private static Path models;

  @BeforeAll
  static void start() throws Exception {
    models = TestImages.models();
    cluster = LocalCluster.builder(OcrService.class.getName())
        .jvmArgs("-Xmx512m")
        .start();
    worker = cluster.startWorker("ocr", "cpu", "--set", OcrService.MODELS + "=" + models,
        "--set", OcrService.THREADS + "=2");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A multipart body with one file part named {@code image}. */
  static HttpResponse<String> postImage(String fileName, String type, byte[] bytes) {
    String boundary = "ocr-test-boundary-7f3a";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\""
        + fileName + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(bytes);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return cluster.send(HttpRequest.newBuilder(cluster.uri("/ocr"))
        .header("content-type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
  }

  private static List<String> lines(HttpResponse<String> response) throws Exception {
    assertEquals(200, response.statusCode(), response.body());
    JsonNode json = JSON.readTree(response.body());
    List<String> lines = new java.util.ArrayList<>();
    json.get("lines").forEach(line -> lines.add(line.get("text").asText()));
    assertEquals(String.join("\n", lines), json.get("text").asText());
    return lines;
  }

  @Test
  void readsEnglishLinesThroughTheCluster() throws Exception {
    List<String> expected = List.of("Hello World 2026", "Model Serve for the JVM");
    byte[] png = TestImages.encode(TestImages.page(TestImages.latinFont(), expected), "png");
    assertEquals(expected, lines(postImage("english.png", "image/png", png)));
  }

  @Test
  void readsChineseLinesThroughTheCluster() throws Exception {
    List<String> expected = List.of("你好，世界", "模型服务框架");
    byte[] jpeg = TestImages.encode(TestImages.page(TestImages.cjkFont(), expected), "jpg");
    assertEquals(expected, lines(postImage("chinese.jpg", "image/jpeg", jpeg)));
  }

  @Test
  void answers400ForBytesThatAreNotAnImage() throws Exception {
    HttpResponse<String> r = postImage("notes.txt", "text/plain",
        "not an image at all".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(JSON.readTree(r.body()).get("error").asText().contains("not an image"), r.body());
  }

  @Test
  void answers400ForAnEmptyUpload() throws Exception {
    HttpResponse<String> r = postImage("empty.png", "image/png", new byte[0]);
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(JSON.readTree(r.body()).has("error"), r.body());
  }

  @Test
  void theWorkersSettingsReachTheModel() {
    String log = worker.logText();
    assertTrue(log.contains("with 2 threads, models from " + models.toAbsolutePath()), log);
  }

  @Test
  void servesTheExamplePageAtTheRoot() {
    HttpResponse<String> r = cluster.get("/");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("fetch('/ocr'"), "index.html posts to /ocr");
  }
}
