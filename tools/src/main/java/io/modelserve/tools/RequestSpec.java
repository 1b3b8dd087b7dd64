package io.modelserve.tools;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What to send: URL, method, query parameters, form fields, files, JSON body and headers.
 *
 * <p>Immutable; make one with {@link #builder(String)}. The body is chosen from what is set:
 * a JSON text or file gives {@code application/json}; form fields alone give
 * {@code application/x-www-form-urlencoded}; any file makes the whole body
 * {@code multipart/form-data}. JSON cannot be combined with form fields or files. Without an
 * explicit method the request is a GET, or a POST when it has a body (as curl does).
 *
 * <p>Files are read when the request is prepared, not here, so that an unreadable file is
 * reported together with every other input error.
 */
public final class RequestSpec {

  /** Milliseconds a request may go without progress (connecting or waiting for bytes). */
  public static final long DEFAULT_TIMEOUT_MS = 30_000;

  private final String url;
  private final String method;
  private final List<Map.Entry<String, String>> query;
  private final List<Map.Entry<String, String>> form;
  private final List<Map.Entry<String, Path>> files;
  private final String json;
  private final Path jsonFile;
  private final List<Map.Entry<String, String>> headers;
  private final long timeoutMs;

  private RequestSpec(Builder b) {
    this.url = b.url;
    this.method = b.method;
    this.query = List.copyOf(b.query);
    this.form = List.copyOf(b.form);
    this.files = List.copyOf(b.files);
    this.json = b.json;
    this.jsonFile = b.jsonFile;
    this.headers = List.copyOf(b.headers);
    this.timeoutMs = b.timeoutMs;
  }

  /** Starts a request to {@code url}, an absolute {@code http://} or {@code https://} URL. */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /** A builder holding this spec's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder(url);
    b.method = method;
    b.query.addAll(query);
    b.form.addAll(form);
    b.files.addAll(files);
    b.json = json;
    b.jsonFile = jsonFile;
    b.headers.addAll(headers);
    b.timeoutMs = timeoutMs;
    return b;
  }

  public String url() { return url; }

  /** The method as given, or the default: POST when there is a body, else GET. */
  public String method() {
    if (method != null) {
      return method;
    }
    return hasBody() ? "POST" : "GET";
  }

  public List<Map.Entry<String, String>> query() { return query; }

  public List<Map.Entry<String, String>> form() { return form; }

  public List<Map.Entry<String, Path>> files() { return files; }

  /** The JSON body text, or null. */
  public String json() { return json; }

  /** The file holding the JSON body, or null. */
  public Path jsonFile() { return jsonFile; }

  public List<Map.Entry<String, String>> headers() { return headers; }

  public long timeoutMs() { return timeoutMs; }

  /** Whether form fields, files or JSON make a request body. */
  public boolean hasBody() {
    return !form.isEmpty() || !files.isEmpty() || json != null || jsonFile != null;
  }

  @Override
  public String toString() {
    return method() + " " + url;
  }

  /** Collects a {@link RequestSpec}; {@link #build()} checks that the parts fit together. */
  public static final class Builder {
    private final String url;
    private String method;
    private final List<Map.Entry<String, String>> query = new ArrayList<>();
    private final List<Map.Entry<String, String>> form = new ArrayList<>();
    private final List<Map.Entry<String, Path>> files = new ArrayList<>();
    private String json;
    private Path jsonFile;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private long timeoutMs = DEFAULT_TIMEOUT_MS;

    private Builder(String url) {
      this.url = url;
    }

    /** The HTTP method, e.g. {@code PUT}; null restores the default. */
    public Builder method(String method) {
      this.method = method == null ? null : method.toUpperCase(Locale.ROOT);
      return this;
    }

    /** Adds a query parameter, URL-encoded and appended to the URL's own query. */
    public Builder query(String name, String value) {
      query.add(Map.entry(name, value));
      return this;
    }

    public Builder form(String name, String value) {
      form.add(Map.entry(name, value));
      return this;
    }

    /** Adds a file upload; its content type is guessed from the file name's extension. */
    public Builder file(String field, Path path) {
      files.add(Map.entry(field, path));
      return this;
    }

    public Builder json(String text) {
      this.json = text;
      return this;
    }

    public Builder jsonFile(Path path) {
      this.jsonFile = path;
      return this;
    }

    /** Adds a header; a {@code Content-Type} given here replaces the computed one. */
    public Builder header(String name, String value) {
      headers.add(Map.entry(name, value));
      return this;
    }

    public Builder timeoutMs(long timeoutMs) {
      this.timeoutMs = timeoutMs;
      return this;
    }

    /**
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL, JSON is
     *     mixed with form data, or the timeout is not positive
     */
    public RequestSpec build() {
      checkUrl(url);
      if (json != null && jsonFile != null) {
        throw new IllegalArgumentException("give --json or --json-file, not both");
      }
      if ((json != null || jsonFile != null) && (!form.isEmpty() || !files.isEmpty())) {
        throw new IllegalArgumentException("a JSON body cannot be combined with --form or --file");
      }
      if (timeoutMs <= 0) {
        throw new IllegalArgumentException("--timeout-ms must be positive, got " + timeoutMs);
      }
      return new RequestSpec(this);
    }

    private static void checkUrl(String url) {
      Objects.requireNonNull(url, "url");
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("--url is not a valid URL: " + url);
      }
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        throw new IllegalArgumentException("--url must be an absolute http:// or https:// URL, got " + url);
      }
    }
  }
}
