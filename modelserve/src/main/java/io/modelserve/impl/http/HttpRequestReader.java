package io.modelserve.impl.http;

import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import io.modelserve.UploadedFile;
import io.modelserve.impl.Json;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Turns an HTTP request into an {@link ApiRequest}: reads the body up to a limit (413 beyond),
 * and parses query, url-encoded and multipart forms, and JSON (400 when malformed). Multipart
 * is decoded in memory with Netty's decoder from the whole body, so nothing touches the disk.
 */
public final class HttpRequestReader {

  /** Bodies up to this size are parsed on the event loop; larger ones on a worker thread. */
  static final int PARSE_ON_EVENT_LOOP_MAX = 256 * 1024;

  private HttpRequestReader() {}

  /** Reads and parses {@code req}; fails with an {@link ApiException} carrying 400 or 413. */
  public static Future<ApiRequest> read(HttpServerRequest req, long maxBodyBytes) {
    String length = req.getHeader("content-length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBodyBytes) {
          return Future.failedFuture(tooLarge(maxBodyBytes));
        }
      } catch (NumberFormatException e) {
        return Future.failedFuture(ApiException.badRequest("bad Content-Length: " + length));
      }
    }
    Promise<ApiRequest> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    req.handler(chunk -> {
      if (promise.future().isComplete()) {
        return;
      }
      if (body.length() + chunk.length() > maxBodyBytes) {
        promise.tryFail(tooLarge(maxBodyBytes));
        return;
      }
      body.appendBuffer(chunk);
    });
    req.exceptionHandler(e -> promise.tryFail(ApiException.badRequest("could not read the request: " + e.getMessage())));
    req.endHandler(v -> {
      if (promise.future().isComplete()) {
        return;
      }
      Context context = Vertx.currentContext();
      if (context != null && body.length() > PARSE_ON_EVENT_LOOP_MAX) {
        // parsing a large multipart or JSON body takes long enough to stall the event loop
        context.<ApiRequest>executeBlocking(() -> parseOrReject(req, body), false).onComplete(promise);
        return;
      }
      try {
        promise.tryComplete(parseOrReject(req, body));
      } catch (ApiException e) {
        promise.tryFail(e);
      }
    });
    // a Vert.x Web router pauses the request until a handler wants the body
    req.resume();
    return promise.future();
  }

  private static ApiRequest parseOrReject(HttpServerRequest req, Buffer body) {
    try {
      return parse(req, body.getBytes());
    } catch (ApiException e) {
      throw e;
    } catch (RuntimeException e) {
      throw ApiException.badRequest("malformed request: " + e.getMessage());
    }
  }

  static ApiRequest parse(HttpServerRequest req, byte[] body) {
    ApiRequest.Builder b = ApiRequest.builder().method(req.method().name());
    QueryStringDecoder uri = new QueryStringDecoder(req.uri(), StandardCharsets.UTF_8);
    b.path(uri.path());
    uri.parameters().forEach((k, values) -> values.forEach(v -> b.query(k, v)));
    req.headers().forEach(h -> b.header(h.getKey(), h.getValue()));
    String type = req.getHeader("content-type");
    String mime = type == null ? "" : type.toLowerCase(Locale.ROOT);
    if (mime.startsWith("multipart/form-data")) {
      parseMultipart(req, type, body, b);
      return b.build();
    }
    if (mime.startsWith("application/x-www-form-urlencoded")) {
      String text = new String(body, StandardCharsets.UTF_8);
      new QueryStringDecoder(text, StandardCharsets.UTF_8, false)
          .parameters().forEach((k, values) -> values.forEach(v -> b.form(k, v)));
    } else if (mime.startsWith("application/json") && body.length > 0) {
      checkJson(body);
    }
    return b.body(body).build();
  }

  private static void checkJson(byte[] body) {
    try (var parser = Json.MAPPER.createParser(body)) {
      while (parser.nextToken() != null) {
        // reading every token is enough to find malformed JSON without building a tree
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("malformed JSON body: " + e.getMessage());
    }
  }

  private static void parseMultipart(HttpServerRequest req, String type, byte[] body, ApiRequest.Builder b) {
    if (!type.toLowerCase(Locale.ROOT).contains("boundary=")) {
      throw ApiException.badRequest("malformed multipart body: no boundary in Content-Type");
    }
    FullHttpRequest full = new DefaultFullHttpRequest(
        HttpVersion.HTTP_1_1, HttpMethod.POST, req.uri(), Unpooled.wrappedBuffer(body));
    full.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    full.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    HttpPostRequestDecoder decoder = null;
    try {
      // false: keep every part in memory; the body limit already bounds the size
      decoder = new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), full, StandardCharsets.UTF_8);
      List<InterfaceHttpData> parts = decoder.getBodyHttpDatas();
      if (parts.isEmpty() && body.length > 0) {
        throw ApiException.badRequest("malformed multipart body: no parts found");
      }
      for (InterfaceHttpData part : parts) {
        if (part instanceof FileUpload f) {
          b.file(new UploadedFile(f.getName(), f.getFilename(), f.getContentType(), f.get()));
        } else if (part instanceof Attribute a) {
          b.form(a.getName(), a.getValue());
        }
      }
    } catch (HttpPostRequestDecoder.ErrorDataDecoderException | HttpPostRequestDecoder.NotEnoughDataDecoderException
        | IllegalArgumentException | IOException e) {
      throw ApiException.badRequest("malformed multipart body: " + e.getMessage());
    } finally {
      if (decoder != null) {
        decoder.destroy();
      }
      full.release();
    }
  }

  private static ApiException tooLarge(long max) {
    return new ApiException(413, "request body is larger than the limit of " + max + " bytes");
  }
}
