package io.modelserve;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.modelserve.impl.Json;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a model answers: a status, headers, a content type and a body, in the spirit of
 * Django's {@code JsonResponse} / {@code HttpResponse}. Immutable; {@code with*} return copies.
 */
public final class ApiResponse {

  private final int status;
  private final String contentType;
  private final Map<String, String> headers;
  private final byte[] body;
  private final StreamWriter stream;

  public ApiResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
    this(status, contentType, headers, body, null);
  }

  private ApiResponse(int status, String contentType, Map<String, String> headers, byte[] body, StreamWriter stream) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status out of range: " + status);
    }
    this.status = status;
    this.contentType = Objects.requireNonNull(contentType, "contentType");
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.body = Objects.requireNonNull(body, "body");
    this.stream = stream;
  }

  /**
   * 200 with a body written as it is produced: {@code writer} runs on the device thread once
   * {@code inference} has returned this answer, and each of its writes reaches the client as a
   * chunk (HTTP chunked transfer) as soon as it is written. See {@link ResponseStream}.
   */
  public static ApiResponse stream(String contentType, StreamWriter writer) {
    return new ApiResponse(200, contentType, Map.of(), new byte[0], Objects.requireNonNull(writer, "writer"));
  }

  /**
   * 200 with Server-Sent Events ({@code text/event-stream}): {@code writer} sends them with
   * {@link ResponseStream#event}. As {@link #stream}; the answer also says {@code no-cache}.
   */
  public static ApiResponse events(StreamWriter writer) {
    return stream(ServerSentEvents.CONTENT_TYPE, writer).withHeader("Cache-Control", "no-cache");
  }

  /** 200 with {@code value} written as JSON by Jackson (maps, lists, records, beans, ...). */
  public static ApiResponse json(Object value) {
    return json(200, value);
  }

  /** {@code status} with {@code value} written as JSON. */
  public static ApiResponse json(int status, Object value) {
    try {
      return new ApiResponse(status, "application/json", Map.of(), Json.MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** 200 with UTF-8 plain text. */
  public static ApiResponse text(String text) {
    return new ApiResponse(200, "text/plain; charset=utf-8", Map.of(), text.getBytes(StandardCharsets.UTF_8));
  }

  /** 200 with raw bytes of the given content type (an image, audio, ...). */
  public static ApiResponse bytes(byte[] body, String contentType) {
    return new ApiResponse(200, contentType, Map.of(), body);
  }

  /**
   * An error answer in the shape the server's own errors have, {@code {"error": message}}: for
   * one item of a {@link BatchModel} batch that failed alone, or wherever throwing
   * {@link ApiException} does not fit.
   */
  public static ApiResponse error(int status, String message) {
    java.util.Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    return json(status, body);
  }

  public ApiResponse withStatus(int status) {
    return new ApiResponse(status, contentType, headers, body, stream);
  }

  public ApiResponse withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new ApiResponse(status, contentType, copy, body, stream);
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  /** Extra headers; the content type is not among them. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The body. The array is shared, not copied: do not modify it. */
  public byte[] body() {
    return body;
  }

  /** Whether this answer is streamed ({@link #stream}, {@link #events}); its {@link #body()} is then empty. */
  public boolean isStream() {
    return stream != null;
  }

  /** The writer of a streamed answer, or {@code null}. */
  public StreamWriter streamWriter() {
    return stream;
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ApiResponse{" + status + ", " + contentType + ", " + (stream != null ? "stream" : body.length + " bytes") + "}";
  }
}
