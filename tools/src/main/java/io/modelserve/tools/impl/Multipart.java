package io.modelserve.tools.impl;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Encodes form fields and files as one {@code multipart/form-data} body (RFC 7578). */
final class Multipart {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** One file part: field name, file name as sent, content type and bytes. */
  record FilePart(String field, String fileName, String contentType, byte[] bytes) {}

  private final String boundary;
  private final Buffer body;

  private Multipart(String boundary, Buffer body) {
    this.boundary = boundary;
    this.body = body;
  }

  /** Encodes the parts under a fresh random boundary, which no sane payload contains. */
  static Multipart encode(List<Map.Entry<String, String>> fields, List<FilePart> files) {
    byte[] random = new byte[12];
    RANDOM.nextBytes(random);
    String boundary = "modelserve-" + HexFormat.of().formatHex(random);
    Buffer body = Buffer.buffer();
    for (Map.Entry<String, String> field : fields) {
      head(body, boundary, "form-data; name=\"" + quote(field.getKey()) + "\"", null);
      body.appendString(field.getValue(), "UTF-8").appendString("\r\n");
    }
    for (FilePart file : files) {
      head(body, boundary,
          "form-data; name=\"" + quote(file.field()) + "\"; filename=\"" + quote(file.fileName()) + "\"",
          file.contentType());
      body.appendBytes(file.bytes()).appendString("\r\n");
    }
    body.appendString("--" + boundary + "--\r\n");
    return new Multipart(boundary, body);
  }

  private static void head(Buffer body, String boundary, String disposition, String contentType) {
    StringBuilder head = new StringBuilder()
        .append("--").append(boundary).append("\r\n")
        .append("Content-Disposition: ").append(disposition).append("\r\n");
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    head.append("\r\n");
    body.appendBytes(head.toString().getBytes(StandardCharsets.UTF_8));
  }

  // Browsers percent-encode these three in names (WHATWG multipart/form-data encoding);
  // left raw they would end the quoted string or the header line.
  private static String quote(String name) {
    return name.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  Buffer body() {
    return body;
  }
}
