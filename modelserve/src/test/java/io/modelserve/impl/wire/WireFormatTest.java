package io.modelserve.impl.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.UploadedFile;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireFormatTest {

  @Test
  void requestsSurviveTheWireWithEveryPart() {
    byte[] image = new byte[10_000];
    for (int i = 0; i < image.length; i++) {
      image[i] = (byte) (i * 31);
    }
    ApiRequest in = ApiRequest.builder().method("post").path("/ocr/v1")
        .query("a", "1").query("a", "2").query("ü", "你好")
        .form("k", "v")
        .header("Content-Type", "multipart/form-data; boundary=x").header("X-Many", "1").header("x-many", "2")
        .file(new UploadedFile("image", "a.png", "image/png", image))
        .file(new UploadedFile("image", "b.png", null, new byte[0]))
        .body(new byte[] {1, 2, 3})
        .build();
    WireFormat.Envelope out = WireFormat.decodeRequest(WireFormat.encodeRequest(in, "c1", 77, 1234));
    ApiRequest r = out.request();
    assertEquals(1234, out.timeoutMs());
    assertEquals(77, out.id());
    assertEquals("c1", out.origin());
    assertEquals("POST", r.method());
    assertEquals("/ocr/v1", r.path());
    assertEquals(List.of("1", "2"), r.queryAll("a"));
    assertEquals("你好", r.query("ü"));
    assertEquals("v", r.form("k"));
    assertEquals(List.of("1", "2"), r.headers().get("x-many"));
    assertEquals("multipart/form-data; boundary=x", r.contentType());
    assertEquals(2, r.fileAll("image").size());
    assertArrayEquals(image, r.file("image").bytes());
    assertEquals("application/octet-stream", r.fileAll("image").get(1).contentType());
    assertArrayEquals(new byte[] {1, 2, 3}, r.body());
  }

  @Test
  void fileBytesAreNotInflatedOnTheWire() {
    byte[] image = new byte[1_000_000];
    Buffer wire = WireFormat.encodeRequest(ApiRequest.builder()
        .file(new UploadedFile("image", "x.jpg", "image/jpeg", image)).build(), 1, 1);
    assertTrue(wire.length() < image.length + 200, "wire size " + wire.length());
  }

  @Test
  void responsesSurviveTheWire() {
    ApiResponse in = ApiResponse.json(Map.of("text", "hallo")).withStatus(201).withHeader("X-Trace", "t1");
    ApiResponse out = WireFormat.decodeResponse(WireFormat.encodeResponse(in));
    assertEquals(201, out.status());
    assertEquals("application/json", out.contentType());
    assertEquals("t1", out.headers().get("X-Trace"));
    assertEquals("{\"text\":\"hallo\"}", out.bodyText());
  }

  @Test
  void aReturnedRequestIsToldApartFromAnswers() {
    assertTrue(WireFormat.isReturned(WireFormat.returned()));
    Buffer answer = WireFormat.encodeResponse(ApiResponse.text("x"));
    assertTrue(!WireFormat.isReturned(answer));
    assertThrows(IllegalArgumentException.class, () -> WireFormat.decodeResponse(WireFormat.returned()));
  }

  @Test
  void aFullWorkersReplyGivesTheRequestBackAndSaysWhy() {
    assertTrue(WireFormat.isReturned(WireFormat.full()));
    assertTrue(WireFormat.isFull(WireFormat.full()));
    assertTrue(!WireFormat.isFull(WireFormat.returned()));
    assertThrows(IllegalArgumentException.class, () -> WireFormat.decodeResponse(WireFormat.full()));
  }

  @Test
  void anUnknownVersionIsRefused() {
    Buffer b = Buffer.buffer().appendByte((byte) 99);
    assertThrows(IllegalArgumentException.class, () -> WireFormat.decodeResponse(b));
  }

  @Test
  void aStreamHeadCarriesStatusTypeHeadersTheFirstChunkAndWhetherItEnded() {
    ApiResponse r = ApiResponse.events(out -> { }).withHeader("X-A", "1").withStatus(201);
    Buffer b = WireFormat.encodeStreamHead(r, new byte[] {7, 8}, false);
    assertTrue(WireFormat.isStreamHead(b));
    assertTrue(!WireFormat.isReturned(b));
    WireFormat.StreamHead h = WireFormat.decodeStreamHead(b);
    assertEquals(201, h.status());
    assertTrue(h.contentType().startsWith("text/event-stream"));
    assertEquals("1", h.headers().get("X-A"));
    assertEquals("no-cache", h.headers().get("Cache-Control"));
    assertArrayEquals(new byte[] {7, 8}, h.firstChunk());
    assertTrue(!h.ended());
    assertTrue(WireFormat.decodeStreamHead(WireFormat.encodeStreamHead(r, new byte[0], true)).ended());
    assertTrue(!WireFormat.isStreamHead(WireFormat.encodeResponse(ApiResponse.text("x"))));
    assertThrows(IllegalArgumentException.class, () -> WireFormat.decodeStreamHead(WireFormat.encodeResponse(ApiResponse.text("x"))));
  }
}
