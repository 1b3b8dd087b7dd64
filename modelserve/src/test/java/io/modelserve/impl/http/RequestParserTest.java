package io.modelserve.impl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every limit answers a clear error; nothing beyond it is dropped, nothing under it refused. */
class RequestParserTest {

  static final BodyLimits LIMITS = new BodyLimits(64L * 1024 * 1024, 1024);
  static final String BOUNDARY = "xYzZy";

  static ApiRequest parse(String query, String contentType, byte[] body, BodyLimits limits) {
    return RequestParser.parse("POST", "/echo", query, List.<Map.Entry<String, String>>of(), contentType, body, limits);
  }

  static String params(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : "&").append("k").append(i).append('=').append(i);
    }
    return sb.toString();
  }

  static byte[] multipart(int parts, boolean closed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < parts; i++) {
      out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"f" + i + "\"\r\n\r\nv" + i + "\r\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    if (closed) {
      out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  static int status(Runnable r) {
    return assertThrows(ApiException.class, r::run).status();
  }

  @Test
  void queryParametersUpToTheLimitAreAllKeptAndOneMoreIs414() {
    assertEquals(1024, parse(params(1024), null, new byte[0], LIMITS).queryParams().size());
    ApiException e = assertThrows(ApiException.class, () -> parse(params(1025), null, new byte[0], LIMITS));
    assertEquals(414, e.status());
    assertTrue(e.getMessage().contains("--max-fields"), e.getMessage());
  }

  @Test
  void formFieldsUpToTheLimitAreAllKeptAndOneMoreIs413() {
    String type = "application/x-www-form-urlencoded";
    assertEquals(1024, parse(null, type, params(1024).getBytes(StandardCharsets.UTF_8), LIMITS).formFields().size());
    assertEquals(413, status(() -> parse(null, type, params(1025).getBytes(StandardCharsets.UTF_8), LIMITS)));
  }

  @Test
  void multipartPartsUpToTheLimitAreAllKeptAndOneMoreIs413() {
    String type = "multipart/form-data; boundary=" + BOUNDARY;
    // Netty's own default stops at 128 parts with a message-less exception
    assertEquals(200, parse(null, type, multipart(200, true), LIMITS).formFields().size());
    ApiException e = assertThrows(ApiException.class, () -> parse(null, type, multipart(11, true), new BodyLimits(1 << 20, 10)));
    assertEquals(413, e.status());
    assertTrue(e.getMessage().contains("more than 10 parts"), e.getMessage());
  }

  @Test
  void aMultipartBodyWithoutItsClosingBoundaryIs400() {
    String type = "multipart/form-data; boundary=\"" + BOUNDARY + "\"";
    assertEquals(3, parse(null, type, multipart(3, true), LIMITS).formFields().size());
    ApiException e = assertThrows(ApiException.class, () -> parse(null, type, multipart(3, false), LIMITS));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void aJsonStringLongerThanJacksonsDefaultCapPassesUnderTheBodyLimit() {
    int length = 21_000_000;
    byte[] body = new byte[length + 2];
    java.util.Arrays.fill(body, (byte) 'a');
    body[0] = '"';
    body[body.length - 1] = '"';
    ApiRequest r = parse(null, "application/json", body, LIMITS);
    assertEquals(length, r.json(String.class).length());
  }

  @Test
  void malformedJsonAndMalformedPathEscapesAre400() {
    assertEquals(400, status(() -> parse(null, "application/json", "{\"a\":".getBytes(StandardCharsets.UTF_8), LIMITS)));
    assertEquals(400, status(() -> RequestParser.decodePath("/%zz")));
    assertEquals("/a b+c", RequestParser.decodePath("/a%20b+c"));
  }
}
