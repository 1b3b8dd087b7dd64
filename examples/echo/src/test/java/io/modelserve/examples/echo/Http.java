package io.modelserve.examples.echo;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Small request builders for the tests (multipart by hand, so the tests control every byte). */
final class Http {

  private Http() {}

  static JsonObject json(HttpResponse<String> r) {
    return new JsonObject(r.body());
  }

  /** A multipart body: parts are {name, fileName or null, contentType or null, bytes}. */
  static final class Multipart {
    final String boundary = "----ms" + UUID.randomUUID().toString().replace("-", "");
    private final List<byte[]> chunks = new ArrayList<>();

    Multipart field(String name, String value) {
      add("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
      chunks.add(value.getBytes(StandardCharsets.UTF_8));
      add("\r\n");
      return this;
    }

    Multipart file(String name, String fileName, String contentType, byte[] bytes) {
      add("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
          + fileName + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
      chunks.add(bytes);
      add("\r\n");
      return this;
    }

    HttpRequest.BodyPublisher publisher() {
      List<byte[]> all = new ArrayList<>(chunks);
      all.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      return HttpRequest.BodyPublishers.ofByteArrays(all);
    }

    String contentType() {
      return "multipart/form-data; boundary=" + boundary;
    }

    private void add(String s) {
      chunks.add(s.getBytes(StandardCharsets.UTF_8));
    }
  }
}
