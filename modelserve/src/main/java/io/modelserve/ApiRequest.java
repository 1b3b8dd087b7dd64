package io.modelserve;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.modelserve.impl.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * One HTTP request as a model sees it, in the spirit of Django's {@code HttpRequest}: the
 * method, the path, query parameters ({@code GET}), form fields ({@code POST}), uploaded files
 * ({@code FILES}), headers and the raw body. Immutable; keys that repeat keep every value.
 */
public final class ApiRequest {

  private final String method;
  private final String path;
  private final Map<String, List<String>> query;
  private final Map<String, List<String>> form;
  private final Map<String, List<UploadedFile>> files;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final BooleanSupplier cancelled;

  private ApiRequest(Builder b) {
    this.method = b.method;
    this.path = b.path;
    this.query = freeze(b.query);
    this.form = freeze(b.form);
    this.files = freeze(b.files);
    this.headers = freeze(b.headers);
    this.body = b.body;
    this.cancelled = b.cancelled;
  }

  /**
   * Whether nobody waits for the answer any more: the client closed its connection (or the
   * controller gave up on the request). A long inference may check it between steps and stop
   * early, returning or throwing anything: the answer is discarded. A request that is still
   * queued when its client leaves never reaches {@code inference}.
   */
  public boolean cancelled() {
    return cancelled.getAsBoolean();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code GET}, {@code POST}, ... in upper case. */
  public String method() {
    return method;
  }

  /** The request path, e.g. {@code /custom} or {@code /custom/sub/path}, without the query. */
  public String path() {
    return path;
  }

  /** The first value of query parameter {@code name}, or {@code null}. */
  public String query(String name) {
    return first(query, name);
  }

  /** Every value of query parameter {@code name} (empty when absent). */
  public List<String> queryAll(String name) {
    return query.getOrDefault(name, List.of());
  }

  /** All query parameters, in the order they came. */
  public Map<String, List<String>> queryParams() {
    return query;
  }

  /** The first value of form field {@code name} (url-encoded or multipart), or {@code null}. */
  public String form(String name) {
    return first(form, name);
  }

  public List<String> formAll(String name) {
    return form.getOrDefault(name, List.of());
  }

  public Map<String, List<String>> formFields() {
    return form;
  }

  /** The first file uploaded under form field {@code field}, or {@code null}. */
  public UploadedFile file(String field) {
    return first(files, field);
  }

  public List<UploadedFile> fileAll(String field) {
    return files.getOrDefault(field, List.of());
  }

  public Map<String, List<UploadedFile>> files() {
    return files;
  }

  /** The first value of header {@code name} (case-insensitive), or {@code null}. */
  public String header(String name) {
    return first(headers, name.toLowerCase(Locale.ROOT));
  }

  /** All headers; names are lower case. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The {@code Content-Type} header, or {@code null}. */
  public String contentType() {
    return header("content-type");
  }

  /**
   * The raw body. Empty for multipart requests, whose parts are in {@link #formFields()} and
   * {@link #files()}. The array is shared, not copied: do not modify it.
   */
  public byte[] body() {
    return body;
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * The body parsed as JSON into {@code type} (a record, a bean, {@code Map.class}, ...).
   *
   * @throws ApiException 400 when the body is not valid JSON of that shape
   */
  public <T> T json(Class<T> type) {
    try {
      return Json.MAPPER.readValue(body, type);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw ApiException.badRequest("malformed JSON body: " + e.getMessage());
    }
  }

  /** The body parsed as a JSON object. @throws ApiException 400 when it is not one */
  @SuppressWarnings("unchecked")
  public Map<String, Object> jsonObject() {
    Map<String, Object> map = json(Map.class);
    if (map == null) {
      throw ApiException.badRequest("JSON body is not an object");
    }
    return map;
  }

  @Override
  public String toString() {
    return "ApiRequest{" + method + " " + path + ", query=" + query + ", form=" + form
        + ", files=" + files.keySet() + ", body=" + body.length + " bytes}";
  }

  private static <V> V first(Map<String, List<V>> map, String key) {
    List<V> values = map.get(key);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static <V> Map<String, List<V>> freeze(Map<String, List<V>> map) {
    Map<String, List<V>> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return Collections.unmodifiableMap(copy);
  }

  /** Builds requests: the server uses it, and so can a model's unit tests. */
  public static final class Builder {
    private String method = "GET";
    private String path = "/";
    private final Map<String, List<String>> query = new LinkedHashMap<>();
    private final Map<String, List<String>> form = new LinkedHashMap<>();
    private final Map<String, List<UploadedFile>> files = new LinkedHashMap<>();
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];
    private BooleanSupplier cancelled = () -> false;

    private Builder() {}

    /** What {@link ApiRequest#cancelled()} reports: the server's flag, or a test's. */
    public Builder cancelledWhen(BooleanSupplier cancelled) {
      this.cancelled = Objects.requireNonNull(cancelled);
      return this;
    }

    public Builder method(String method) {
      this.method = Objects.requireNonNull(method).toUpperCase(Locale.ROOT);
      return this;
    }

    public Builder path(String path) {
      this.path = Objects.requireNonNull(path);
      return this;
    }

    public Builder query(String name, String value) {
      query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      return this;
    }

    public Builder form(String name, String value) {
      form.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      return this;
    }

    public Builder file(UploadedFile file) {
      files.computeIfAbsent(file.field(), k -> new ArrayList<>()).add(file);
      return this;
    }

    public Builder header(String name, String value) {
      headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
      return this;
    }

    public Builder body(byte[] body) {
      this.body = Objects.requireNonNull(body);
      return this;
    }

    public Builder body(String body) {
      return body(body.getBytes(StandardCharsets.UTF_8));
    }

    public ApiRequest build() {
      return new ApiRequest(this);
    }
  }
}
