package io.modelserve.impl.http;

import io.modelserve.ApiResponse;
import io.modelserve.impl.Errors;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;


/** Writes answers and JSON errors to HTTP responses. */
public final class HttpResponses {

  /** The content type of Prometheus's text exposition format. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";


  private HttpResponses() {}

  /** Writes {@code r}; the future completes when it is written (or was not: the response had ended). */
  public static Future<Void> write(HttpServerResponse out, ApiResponse r) {
    if (r.isStream() && r.streamWriter() instanceof StreamedBody body && (out.ended() || out.closed())) {
      // the client has gone: the stream learns it, and refuses its chunks
      body.attach(out);
      return Future.succeededFuture();
    }
    if (out.ended() || out.closed()) {
      return Future.succeededFuture();
    }
    if (r.status() < 200) {
      // an informational status as the final answer would leave the client waiting for ever
      r = Errors.json(500, "an answer with informational status " + r.status() + " cannot be sent", null, null);
    }
    out.setStatusCode(r.status());
    r.headers().forEach(out::putHeader);
    out.putHeader("content-type", r.contentType());
    if (r.isStream()) {
      if (!(r.streamWriter() instanceof StreamedBody body)) {
        out.headers().clear();
        return write(out, Errors.json(500, "a streamed answer cannot be written here", null, null));
      }
      out.setChunked(true);
      body.attach(out);
      return Future.succeededFuture();
    }
    return out.end(Buffer.buffer(r.body()));
  }

  /** {@code {"error": message, "service": service}} with {@code status}. */
  public static void error(HttpServerResponse out, int status, String message, String service) {
    write(out, Errors.json(status, message, service, null));
  }
}
