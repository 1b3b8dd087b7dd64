package io.modelserve.examples.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.Settings;
import io.modelserve.UploadedFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OcrServiceTest {

  private static final OcrService service = new OcrService();

  @BeforeAll
  static void init() throws Exception {
    service.init("cpu", Settings.of(Map.of(OcrService.MODELS, TestImages.models().toString())));
  }

  @AfterAll
  static void close() {
    service.close();
  }

  private static ApiRequest upload(String name, String type, byte[] bytes) {
    return ApiRequest.builder().method("POST").path("/ocr")
        .file(new UploadedFile("image", name, type, bytes)).build();
  }

  private static int statusOf(ApiRequest request) {
    return assertThrows(ApiException.class, () -> service.inference(request)).status();
  }

  @Test
  void answersTextLinesAndSizeAsJson() throws Exception {
    byte[] png = TestImages.encode(TestImages.page(TestImages.latinFont(),
        List.of("Hello World 2026", "Model Serve for the JVM")), "png");
    ApiResponse response = service.inference(upload("page.png", "image/png", png));
    assertEquals(200, response.status());
    assertEquals("application/json", response.contentType());
    JsonNode json = new ObjectMapper().readTree(response.body());
    assertEquals("Hello World 2026\nModel Serve for the JVM", json.get("text").asText());
    assertEquals(2, json.get("lines").size());
    JsonNode line = json.get("lines").get(0);
    assertEquals("Hello World 2026", line.get("text").asText());
    assertTrue(line.get("confidence").asDouble() > 0.9);
    assertEquals(4, line.get("box").size());
    assertEquals(2, line.get("box").get(0).size());
    assertTrue(json.get("width").asInt() > 0 && json.get("height").asInt() > 0);
    assertTrue(json.get("ms").isIntegralNumber());
  }

  @Test
  void readsJpegToo() throws Exception {
    byte[] jpeg = TestImages.encode(TestImages.page(TestImages.cjkFont(), List.of("模型服务框架")), "jpg");
    ApiResponse response = service.inference(upload("page.jpg", "image/jpeg", jpeg));
    assertEquals("模型服务框架", new ObjectMapper().readTree(response.body()).get("text").asText());
  }

  @Test
  void refusesBytesThatAreNotAnImage() {
    byte[] text = "definitely not a PNG".getBytes(StandardCharsets.UTF_8);
    assertEquals(400, statusOf(upload("notes.txt", "text/plain", text)));
  }

  @Test
  void refusesATruncatedImage() {
    byte[] png = TestImages.encode(TestImages.page(TestImages.latinFont(), List.of("cut")), "png");
    byte[] head = java.util.Arrays.copyOf(png, 40);
    assertEquals(400, statusOf(upload("cut.png", "image/png", head)));
  }

  @Test
  void refusesAnEmptyUpload() {
    assertEquals(400, statusOf(upload("empty.png", "image/png", new byte[0])));
  }

  @Test
  void refusesARequestWithoutAnImageField() {
    assertEquals(400, statusOf(ApiRequest.builder().method("POST").path("/ocr").build()));
  }
}
