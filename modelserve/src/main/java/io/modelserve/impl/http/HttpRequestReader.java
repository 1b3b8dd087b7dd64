package io.modelserve.impl.http;

import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;

/**
 * Turns an HTTP request into an {@link ApiRequest}: reads the body up to a limit (413 beyond),
 * then lets {@link RequestParser} parse it (400, 413 or 414 when it cannot).
 */
public final class HttpRequestReader {

  /** Bodies up to this size are parsed on the event loop; larger ones on a worker thread. */
  static final int PARSE_ON_EVENT_LOOP_MAX = 256 * 1024;

  private HttpRequestReader() {}

  /** The 413 answer for a Content-Length over the limit, or null; 400 for a malformed one. */
  public static ApiException checkLength(HttpServerRequest req, long maxBodyBytes) {
    String length = req.getHeader("content-length");
    if (length == null) {
      return null;
    }
    try {
      return Long.parseLong(length.trim()) > maxBodyBytes ? tooLarge(maxBodyBytes) : null;
    } catch (NumberFormatException e) {
      return ApiException.badRequest("bad Content-Length: " + length);
    }
  }

  /**
   * Reads and parses {@code req}; fails with an {@link ApiException} carrying 400, 413 or 414,
   * or 408 when the body stops arriving for {@code idleTimeoutMs}.
   */
  public static Future<ApiRequest> read(HttpServerRequest req, BodyLimits limits, long idleTimeoutMs) {
    ApiException early = checkLength(req, limits.maxBodyBytes());
    if (early != null) {
      return Future.failedFuture(early);
    }
    Promise<ApiRequest> promise = Promise.promise();
    // the chunks as they came, copied once into one array at the end: appending them to one
    // growing buffer copied a 1 MB body about twice over, then once more into an array
    Chunks body = new Chunks();
    Context owner = Vertx.currentContext();
    // one timer per request, not one per chunk: when it fires it looks at when the last chunk
    // came, and waits out the rest of the idle time if that was recently
    long[] lastChunkNanos = {System.nanoTime()};
    long[] stallTimer = {-1};
    long idleNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
    Handler<Long> check = new Handler<>() {
      @Override
      public void handle(Long id) {
        long quietNanos = System.nanoTime() - lastChunkNanos[0];
        if (quietNanos >= idleNanos) {
          promise.tryFail(new ApiException(408,
              "the request body stopped arriving: nothing for " + idleTimeoutMs + " ms (--idle-timeout-ms)"));
        } else if (!promise.future().isComplete()) {
          stallTimer[0] = owner.owner().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(idleNanos - quietNanos)), this);
        }
      }
    };
    if (owner != null) {
      stallTimer[0] = owner.owner().setTimer(idleTimeoutMs, check);
    }
    promise.future().onComplete(ar -> {
      if (owner != null) {
        owner.owner().cancelTimer(stallTimer[0]);
      }
    });
    req.handler(chunk -> {
      if (promise.future().isComplete()) {
        return;
      }
      lastChunkNanos[0] = System.nanoTime();
      if (body.length + chunk.length() > limits.maxBodyBytes()) {
        promise.tryFail(tooLarge(limits.maxBodyBytes()));
        return;
      }
      body.add(chunk);
    });
    req.exceptionHandler(e -> {
      promise.tryFail(ApiException.badRequest("could not read the whole request: " + RequestParser.messageOf(e)));
      // a body Netty cannot decode (a malformed chunk) closes the connection as soon as this
      // returns, while what the failure was answered with waits for the end of the read to be
      // flushed: without this the client would get no answer at all
      RequestChecks.flush(req);
    });
    req.endHandler(v -> {
      if (promise.future().isComplete()) {
        return;
      }
      if (owner != null) {
        // the body is all here: parsing it is no stall
        owner.owner().cancelTimer(stallTimer[0]);
      }
      Context context = Vertx.currentContext();
      if (context != null && body.length > PARSE_ON_EVENT_LOOP_MAX) {
        // parsing a large multipart or JSON body takes long enough to stall the event loop
        context.<ApiRequest>executeBlocking(() -> parseOrReject(req, body, limits), false).onComplete(promise);
        return;
      }
      try {
        promise.tryComplete(parseOrReject(req, body, limits));
      } catch (ApiException e) {
        promise.tryFail(e);
      }
    });
    // a Vert.x Web router pauses the request until a handler wants the body
    req.resume();
    return promise.future();
  }

  private static ApiRequest parseOrReject(HttpServerRequest req, Chunks body, BodyLimits limits) {
    try {
      return RequestParser.parse(req.method().name(), req.path(), req.query(), req.headers(),
          req.getHeader("content-type"), body.bytes(), limits);
    } catch (ApiException e) {
      throw e;
    } catch (RuntimeException e) {
      throw ApiException.badRequest("malformed request: " + RequestParser.messageOf(e));
    }
  }

  /** A body's chunks (Vert.x hands each over as a heap buffer of its own), and their length. */
  private static final class Chunks {
    private final java.util.ArrayList<Buffer> chunks = new java.util.ArrayList<>(4);
    long length;

    void add(Buffer chunk) {
      if (chunk.length() > 0) {
        chunks.add(chunk);
        length += chunk.length();
      }
    }

    /** All of it in one array: one copy of each byte. */
    byte[] bytes() {
      if (chunks.size() == 1) {
        return chunks.get(0).getBytes();
      }
      byte[] out = new byte[Math.toIntExact(length)];
      int at = 0;
      for (Buffer chunk : chunks) {
        chunk.getBytes(out, at);
        at += chunk.length();
      }
      return out;
    }
  }

  private static ApiException tooLarge(long max) {
    return new ApiException(413, "request body is larger than the limit of " + max + " bytes (--max-body-bytes)");
  }
}
