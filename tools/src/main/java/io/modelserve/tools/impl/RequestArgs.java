package io.modelserve.tools.impl;

import io.modelserve.tools.RequestSpec;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The request options that {@code query} and {@code load-tester} share, as a picocli mixin. */
public final class RequestArgs {

  @Option(names = "--url", required = true, paramLabel = "URL",
      description = "Absolute http:// or https:// URL, e.g. http://localhost:8888/echo.")
  private String url;

  @Option(names = {"-X", "--method"}, paramLabel = "METHOD",
      description = "HTTP method (default: POST when there is a body, else GET).")
  private String method;

  @Option(names = "--query", paramLabel = "K=V", converter = KeyValue.Converter.class,
      description = "Query parameter, URL-encoded and appended; repeatable.")
  private List<KeyValue> query = new ArrayList<>();

  @Option(names = "--form", paramLabel = "K=V", converter = KeyValue.Converter.class,
      description = "Form field; x-www-form-urlencoded, or multipart with --file; repeatable.")
  private List<KeyValue> form = new ArrayList<>();

  @Option(names = "--file", paramLabel = "FIELD=PATH", converter = KeyValue.Converter.class,
      description = "File to upload as multipart; content type from the extension; repeatable.")
  private List<KeyValue> files = new ArrayList<>();

  @Option(names = "--json", paramLabel = "TEXT", description = "JSON body (application/json).")
  private String json;

  @Option(names = "--json-file", paramLabel = "PATH", description = "File holding the JSON body.")
  private Path jsonFile;

  @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'",
      converter = KeyValue.HeaderConverter.class, description = "Request header; repeatable.")
  private List<KeyValue> headers = new ArrayList<>();

  @Option(names = "--timeout-ms", paramLabel = "MS",
      defaultValue = "" + RequestSpec.DEFAULT_TIMEOUT_MS,
      description = "Fail a request that makes no progress for this long (default: ${DEFAULT-VALUE}).")
  private long timeoutMs;

  /** @throws IllegalArgumentException when the options do not make a request */
  public RequestSpec toSpec() {
    RequestSpec.Builder b = RequestSpec.builder(url).method(method).timeoutMs(timeoutMs);
    query.forEach(kv -> b.query(kv.key(), kv.value()));
    form.forEach(kv -> b.form(kv.key(), kv.value()));
    for (KeyValue kv : files) {
      try {
        b.file(kv.key(), Path.of(kv.value()));
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException("--file " + kv.key() + "=: not a path: " + kv.value());
      }
    }
    if (json != null) {
      b.json(json);
    }
    if (jsonFile != null) {
      b.jsonFile(jsonFile);
    }
    headers.forEach(kv -> b.header(kv.key(), kv.value()));
    return b.build();
  }
}
