package io.modelserve.impl.http;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses a request whose body has been read whole: query, url-encoded and multipart forms (in
 * memory, with Netty's decoder), and a JSON check. Every failure is an {@link ApiException}
 * with a message a client can act on; nothing over a limit is dropped.
 */
public final class RequestParser {

  /** Netty's default; bounds what a part's headers may buffer. */
  private static final int MAX_PART_HEADER_BYTES = 16 * 1024;

  private RequestParser() {}

  /**
   * @param path the raw (still percent-encoded) path, never the absolute-form target
   * @param query the raw query, or null
   */
  public static ApiRequest parse(String method, String path, String query, Iterable<Map.Entry<String, String>> headers,
      String contentType, byte[] body, BodyLimits limits) {
    ApiRequest.Builder b = ApiRequest.builder().method(method).path(decodePath(path));
    if (query != null && !query.isEmpty()) {
      fields(query, limits, b::query, 414, "the query has more than " + limits.maxFields() + " parameters");
    }
    headers.forEach(h -> b.header(h.getKey(), h.getValue()));
    String mime = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (mime.startsWith("multipart/form-data")) {
      parseMultipart(contentType, body, limits, b);
      return b.build();
    }
    if (mime.startsWith("application/x-www-form-urlencoded")) {
      fields(new String(body, StandardCharsets.UTF_8), limits, b::form, 413,
          "the form has more than " + limits.maxFields() + " fields");
    } else if (mime.startsWith("application/json") && body.length > 0) {
      checkJson(body);
    }
    return b.body(body).build();
  }

  /** The percent-decoded path; 400 for a malformed escape such as {@code %zz}. */
  public static String decodePath(String raw) {
    try {
      // as a path: '+' stays '+'
      return new QueryStringDecoder(raw, StandardCharsets.UTF_8, true).path();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("malformed path: " + e.getMessage());
    }
  }

  private interface Sink {
    void add(String name, String value);
  }

  private static void fields(String encoded, BodyLimits limits, Sink sink, int status, String tooMany) {
    Map<String, List<String>> params;
    try {
      // one more than the limit, so that "over the limit" shows instead of vanishing
      params = new QueryStringDecoder(encoded, StandardCharsets.UTF_8, false, limits.maxFields() + 1).parameters();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("malformed url-encoded data: " + e.getMessage());
    }
    int count = 0;
    for (List<String> values : params.values()) {
      count += values.size();
    }
    if (count > limits.maxFields()) {
      throw new ApiException(status, tooMany + " (limit --max-fields)");
    }
    params.forEach((k, values) -> values.forEach(v -> sink.add(k, v)));
  }

  private static void checkJson(byte[] body) {
    try (var parser = Json.MAPPER.createParser(body)) {
      while (parser.nextToken() != null) {
        // reading every token is enough to find malformed JSON without building a tree
      }
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("malformed JSON body: " + e.getMessage());
    }
  }

  private static void parseMultipart(String type, byte[] body, BodyLimits limits, ApiRequest.Builder b) {
    String boundary = boundary(type);
    if (boundary == null) {
      throw ApiException.badRequest("malformed multipart body: no boundary in Content-Type");
    }
    if (body.length > 0 && indexOf(body, ("--" + boundary + "--").getBytes(StandardCharsets.ISO_8859_1)) < 0) {
      // Netty returns the complete parts of a cut-off body as if it were whole
      throw ApiException.badRequest("truncated multipart body: the closing boundary --" + boundary + "-- is missing");
    }
    FullHttpRequest full = new DefaultFullHttpRequest(
        HttpVersion.HTTP_1_1, HttpMethod.POST, "/", Unpooled.wrappedBuffer(body));
    full.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    full.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    HttpPostRequestDecoder decoder = null;
    try {
      // false: keep every part in memory; the body limit already bounds the size
      decoder = new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), full, StandardCharsets.UTF_8,
          limits.maxFields(), MAX_PART_HEADER_BYTES);
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
    } catch (HttpPostRequestDecoder.TooManyFormFieldsException e) {
      throw new ApiException(413, "the multipart body has more than " + limits.maxFields() + " parts (limit --max-fields)");
    } catch (HttpPostRequestDecoder.TooLongFormFieldException e) {
      throw ApiException.badRequest("malformed multipart body: a part's headers are longer than "
          + MAX_PART_HEADER_BYTES + " bytes or never end");
    } catch (HttpPostRequestDecoder.ErrorDataDecoderException | HttpPostRequestDecoder.NotEnoughDataDecoderException
        | IllegalArgumentException | IOException e) {
      throw ApiException.badRequest("malformed multipart body: " + messageOf(e));
    } finally {
      if (decoder != null) {
        decoder.destroy();
      }
      full.release();
    }
  }

  /** The boundary parameter of a multipart Content-Type, unquoted; null when absent. */
  static String boundary(String type) {
    for (String param : type.split(";")) {
      String p = param.trim();
      if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
        String value = p.substring(9).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value.isEmpty() ? null : value;
      }
    }
    return null;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    // from the end: the closing boundary is the last thing in a well-formed body
    outer:
    for (int i = haystack.length - needle.length; i >= 0; i--) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static String messageOf(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
