package io.modelserve.tools.impl;

import io.modelserve.tools.RequestSpec;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link RequestSpec} turned into wire form once: method, absolute URI, headers and body.
 * A load run sends the same instance thousands of times, so nothing is encoded per request.
 */
public final class PreparedRequest {

  private final HttpMethod method;
  private final String uri;
  private final MultiMap headers;
  private final Buffer body;
  private final RequestOptions options;

  private PreparedRequest(HttpMethod method, String uri, MultiMap headers, Buffer body, long timeoutMs) {
    this.method = method;
    this.uri = uri;
    this.headers = headers;
    this.body = body;
    // Connect timeout also bounds the wait for a pooled connection, so a run that overloads
    // its own pool reports timeouts instead of hanging.
    this.options = new RequestOptions()
        .setMethod(method)
        .setAbsoluteURI(uri)
        .setHeaders(headers)
        .setConnectTimeout(timeoutMs)
        .setIdleTimeout(timeoutMs);
  }

  /**
   * Encodes the spec, reading every file it names.
   *
   * @throws IllegalArgumentException when a file cannot be read, naming the file
   */
  public static PreparedRequest of(RequestSpec spec) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    Buffer body = null;
    if (spec.json() != null || spec.jsonFile() != null) {
      body = spec.json() != null
          ? Buffer.buffer(spec.json(), "UTF-8")
          : Buffer.buffer(read(spec.jsonFile(), "--json-file"));
      headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
    } else if (!spec.files().isEmpty()) {
      List<Multipart.FilePart> parts = new ArrayList<>();
      for (Map.Entry<String, Path> file : spec.files()) {
        Path path = file.getValue();
        String name = path.getFileName() == null ? "file" : path.getFileName().toString();
        parts.add(new Multipart.FilePart(file.getKey(), name, ContentTypes.guess(name),
            read(path, "--file " + file.getKey() + "=")));
      }
      Multipart multipart = Multipart.encode(spec.form(), parts);
      body = multipart.body();
      headers.set(HttpHeaders.CONTENT_TYPE, multipart.contentType());
    } else if (!spec.form().isEmpty()) {
      body = Buffer.buffer(urlEncode(spec.form()), "UTF-8");
      headers.set(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    for (Map.Entry<String, String> header : spec.headers()) {
      if (header.getKey().equalsIgnoreCase("Content-Type")) {
        headers.set(header.getKey(), header.getValue());
      } else {
        headers.add(header.getKey(), header.getValue());
      }
    }
    return new PreparedRequest(HttpMethod.valueOf(spec.method()), withQuery(spec),
        headers, body == null ? Buffer.buffer() : body, spec.timeoutMs());
  }

  private static byte[] read(Path path, String flag) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException | SecurityException e) {
      String reason = e instanceof java.nio.file.NoSuchFileException ? "no such file"
          : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
          : e.getMessage();
      String prefix = flag.endsWith("=") ? flag : flag + " ";
      throw new IllegalArgumentException("cannot read " + prefix + path + ": " + reason);
    }
  }

  private static String withQuery(RequestSpec spec) {
    String url = spec.url();
    if (spec.query().isEmpty()) {
      return url;
    }
    int hash = url.indexOf('#');
    if (hash >= 0) {
      url = url.substring(0, hash);
    }
    String separator = url.indexOf('?') < 0 ? "?" : url.endsWith("?") || url.endsWith("&") ? "" : "&";
    return url + separator + urlEncode(spec.query());
  }

  static String urlEncode(List<Map.Entry<String, String>> pairs) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> pair : pairs) {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(URLEncoder.encode(pair.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(pair.getValue(), StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  /**
   * Sends the request once. The caller must consume the response body, or the pooled
   * connection cannot carry the next request.
   */
  public Future<HttpClientResponse> send(HttpClient client) {
    return client.request(options).compose(request -> request.send(body));
  }

  public HttpMethod method() { return method; }

  /** The absolute URI, query parameters included. */
  public String uri() { return uri; }

  public MultiMap headers() { return headers; }

  public Buffer body() { return body; }

  @Override
  public String toString() {
    return method + " " + uri;
  }
}
