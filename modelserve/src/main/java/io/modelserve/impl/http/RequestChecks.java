package io.modelserve.impl.http;

import io.modelserve.ApiException;
import io.modelserve.ApiResponse;
import io.modelserve.impl.Errors;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.VertxConnection;

/**
 * What the HTTP servers check before routing a request, and how they refuse one: always a JSON
 * error, never a stack trace in the log, and the connection closed when a body is left unread.
 */
public final class RequestChecks {

  private RequestChecks() {}

  /**
   * A 400 for a request no handler should see (HTTP/1.1 without Host, a malformed path, a
   * Transfer-Encoding that does not end in chunked: answered with Connection: close), a 415 for a
   * body in an encoding the server does not decode, or null.
   */
  public static ApiResponse problem(HttpServerRequest req) {
    if (req.version() == HttpVersion.HTTP_1_1 && req.getHeader("host") == null) {
      return Errors.json(400, "an HTTP/1.1 request needs a Host header", null, null);
    }
    String transfer = req.getHeader("transfer-encoding");
    if (transfer != null && !lastCodingIsChunked(transfer)) {
      // no length can be known (RFC 9112, 6.3): Netty would read no body, and what follows on
      // the connection would be taken for the next request
      return Errors.json(400, "Transfer-Encoding '" + transfer.trim() + "' does not end in chunked: the body's"
          + " length cannot be known", null, null).withHeader("Connection", "close");
    }
    String encoding = req.getHeader("content-encoding");
    if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity") && hasBody(req)) {
      // gzip and deflate were decoded before this (the header is gone): anything left would
      // reach the model as if it were the body itself
      return Errors.json(415, "a request body with Content-Encoding '" + encoding.trim()
          + "' cannot be read: send it as gzip, deflate or unencoded", null, null);
    }
    try {
      RequestParser.decodePath(req.path() == null ? "" : req.path());
    } catch (ApiException e) {
      return Errors.json(e.status(), e.getMessage(), null, null);
    }
    return null;
  }

  /** For {@code HttpServer.invalidRequestHandler}: what Netty could not decode, answered as JSON. */
  public static void invalid(HttpServerRequest req) {
    Throwable cause = req.decoderResult().cause();
    int status = 400;
    String message = "malformed HTTP request";
    if (cause instanceof TooLongFrameException && cause.getMessage() != null) {
      if (cause.getMessage().startsWith("An HTTP line is larger than")) {
        status = 414;
        message = "request line too long";
      } else if (cause.getMessage().startsWith("HTTP header is larger than")) {
        status = 431;
        message = "request headers too large";
      }
    }
    if (cause != null && status == 400 && cause.getMessage() != null) {
      message += ": " + cause.getMessage();
    }
    refuse(req, Errors.json(status, message, null, null));
  }

  /**
   * Sends what was written on the request's connection now. Vert.x flushes what is written
   * during a read when the read ends; a body Netty cannot decode (a malformed chunk) makes it
   * close the connection first, and the answer would be lost.
   */
  static void flush(HttpServerRequest req) {
    if (req.connection() instanceof VertxConnection connection) {
      connection.flush();
    }
  }

  private static boolean lastCodingIsChunked(String transferEncoding) {
    String[] codings = transferEncoding.split(",");
    return codings[codings.length - 1].trim().equalsIgnoreCase("chunked");
  }

  /**
   * Answers {@code answer} without reading the body. A client that sent
   * {@code Expect: 100-continue} gets it as the final status and sends no body; for any other,
   * the unread body would be taken for the next request, so the connection closes.
   */
  public static void refuse(HttpServerRequest req, ApiResponse answer) {
    if ((hasBody(req) && !req.isEnded()) || "close".equalsIgnoreCase(answer.headers().get("Connection"))) {
      req.response().putHeader("connection", "close");
      // Vert.x would keep the connection until the request ends, which an unread body never does
      HttpResponses.write(req.response(), answer).onComplete(ar -> req.connection().close());
      // written during a read, the answer waits for the read's end to be flushed; a body Netty
      // cannot decode closes the connection before that
      flush(req);
    } else {
      HttpResponses.write(req.response(), answer);
    }
  }

  private static boolean hasBody(HttpServerRequest req) {
    String length = req.getHeader("content-length");
    return req.getHeader("transfer-encoding") != null || (length != null && !length.trim().equals("0"));
  }

  /** Tells a client that waits with {@code Expect: 100-continue} to send its body. */
  public static void acceptBody(HttpServerRequest req) {
    if (expectsContinue(req)) {
      req.response().writeContinue();
    }
  }

  /** Whether the client waits for {@code 100 Continue} before it sends the body. */
  public static boolean expectsContinue(HttpServerRequest req) {
    String expect = req.getHeader("expect");
    return expect != null && expect.equalsIgnoreCase("100-continue") && hasBody(req) && !req.isEnded()
        && req.version() != HttpVersion.HTTP_1_0;
  }
}
