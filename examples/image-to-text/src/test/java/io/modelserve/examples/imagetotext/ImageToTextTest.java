package io.modelserve.examples.imagetotext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.Settings;
import io.modelserve.UploadedFile;
import io.modelserve.examples.seq2seq.TinyModels;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upload to JSON caption, in process, on the tiny captioner stand-in. */
class ImageToTextTest {

  @TempDir static Path dir;
  private static final ImageToText service = new ImageToText();

  @BeforeAll
  static void init() throws Exception {
    service.init("cpu", modelAt(TinyModels.writeCaptioner(dir)));
  }

  @AfterAll
  static void close() throws Exception {
    service.close();
  }

  private static Settings modelAt(Path model) {
    return Settings.of(Map.of(ImageToText.MODEL, model.toString()));
  }

  private static ApiRequest upload(String name, String type, byte[] bytes, String... query) {
    ApiRequest.Builder request = ApiRequest.builder().method("POST").path("/custom")
        .file(new UploadedFile("image", name, type, bytes));
    for (int i = 0; i < query.length; i += 2) {
      request.query(query[i], query[i + 1]);
    }
    return request.build();
  }

  private static String caption(ApiRequest request) throws Exception {
    ApiResponse response = service.inference(request);
    assertEquals(200, response.status());
    return (String) new ObjectMapper().readValue(response.body(), Map.class).get("text");
  }

  private static ApiException rejected(ApiRequest request) {
    return assertThrows(ApiException.class, () -> service.inference(request));
  }

  @Test
  void captionsPngAndJpegUntilTheModelEndsTheText() throws Exception {
    assertEquals("a red square", caption(upload("red.png", "image/png", TestImages.picture(Color.RED, 640, 480, "png"))));
    assertEquals("a green field", caption(upload("g.jpg", "image/jpeg", TestImages.picture(Color.GREEN, 300, 500, "jpg"))));
    assertEquals("a blue sky", caption(upload("b.bmp", "image/bmp", TestImages.picture(Color.BLUE, 17, 9, "bmp"))));
  }

  @Test
  void stopsAtMaxNewTokens() throws Exception {
    byte[] png = TestImages.picture(Color.GREEN, 64, 64, "png");
    assertEquals("a green", caption(upload("g.png", "image/png", png, "max_new_tokens", "2")));
  }

  @Test
  void aMissingImageFieldIsABadRequest() {
    ApiRequest noFile = ApiRequest.builder().method("POST").path("/custom").form("text", "hi").build();
    ApiException e = rejected(noFile);
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("'image'"), e.getMessage());
  }

  @Test
  void bytesThatAreNotAnImageAreABadRequest() {
    ApiException e = rejected(upload("notes.txt", "text/plain", "not an image".getBytes(StandardCharsets.UTF_8)));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("not an image"), e.getMessage());
  }

  @Test
  void anEmptyOrTruncatedImageIsABadRequest() throws Exception {
    assertEquals(400, rejected(upload("empty.png", "image/png", new byte[0])).status());
    byte[] png = TestImages.picture(Color.RED, 64, 64, "png");
    assertEquals(400, rejected(upload("cut.png", "image/png", Arrays.copyOf(png, 60))).status());
  }

  @Test
  void aBadMaxNewTokensIsABadRequest() throws Exception {
    byte[] png = TestImages.picture(Color.RED, 8, 8, "png");
    assertEquals(400, rejected(upload("r.png", "image/png", png, "max_new_tokens", "-1")).status());
    assertEquals(400, rejected(upload("r.png", "image/png", png, "max_new_tokens", "lots")).status());
  }

  @Test
  void aGpuDeviceFallsBackToCpuWhenCudaIsMissing() throws Exception {
    ImageToText onGpu = new ImageToText();
    try {
      onGpu.init("0", modelAt(dir));
      ApiResponse response = onGpu.inference(upload("b.png", "image/png", TestImages.picture(Color.BLUE, 32, 32, "png")));
      assertEquals("a blue sky", new ObjectMapper().readTree(response.body()).get("text").asText());
    } finally {
      onGpu.close();
    }
  }

  @Test
  void aMissingModelNamesTheSettingAndTheDownloadStep() {
    Path nowhere = dir.resolve("nowhere");
    Exception e = assertThrows(Exception.class, () -> new ImageToText().init("cpu", modelAt(nowhere)));
    assertTrue(e.getMessage().contains("setting 'model': no folder " + nowhere), e.getMessage());
    assertTrue(e.getMessage().contains("download"), e.getMessage());
  }

  @Test
  void closeAfterAFailedInitAndCloseTwiceAreHarmless() throws Exception {
    ImageToText failed = new ImageToText();
    Path empty = java.nio.file.Files.createDirectories(dir.resolve("empty"));
    assertThrows(Exception.class, () -> failed.init("cpu", modelAt(empty)));
    failed.close();
    failed.close();
  }
}
