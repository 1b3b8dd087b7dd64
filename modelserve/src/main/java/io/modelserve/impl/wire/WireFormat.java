package io.modelserve.impl.wire;

import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.UploadedFile;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of requests and answers on the event bus. Length-prefixed fields in one
 * {@link Buffer}: cheap to write and read, and file bytes travel as they are (no base64).
 *
 * <p>Request: version, origin, id, timeout, method, path, query, form, headers, files, body.
 * Answer: version, kind, then for an answer: status, content type, headers, body. The other
 * kinds, "returned" and "full", say a worker gave a request back unstarted (see
 * {@link #returned()} and {@link #full()}); "stream" is the head of a streamed answer: status,
 * content type, headers, the first chunk and whether the stream already ended (see
 * {@link #encodeStreamHead}).
 */
public final class WireFormat {

  private static final byte VERSION = 4;
  private static final byte ANSWER = 0;
  private static final byte RETURNED = 1;
  private static final byte FULL = 2;
  private static final byte STREAM = 3;

  /** Headers of the stream messages a worker sends to {@code Addresses.stream(controller)}. */
  public static final String STREAM_ID = "modelserve-stream-id";
  public static final String STREAM_WORKER = "modelserve-stream-worker";
  public static final String STREAM_SEQ = "modelserve-stream-seq";
  public static final String STREAM_KIND = "modelserve-stream-kind";
  /** Stream message kinds: the model returned a stream (no chunk yet), a chunk, the end, an error (body: message). */
  public static final String KIND_STARTED = "started";
  public static final String KIND_DATA = "data";
  public static final String KIND_END = "end";
  public static final String KIND_ERROR = "error";

  /**
   * Requests a worker accepts beyond its concurrency, from all controllers together: one may
   * wait ahead so that the device never idles for the round trip to a controller.
   */
  public static final int HELD_AHEAD = 1;

  /**
   * Event-bus header of every worker reply: the inferences its device holds at that moment
   * (waiting or running, for every controller), so that each controller sees the others' load.
   */
  public static final String HELD_HEADER = "modelserve-held";
  /** Event-bus header of every worker reply: inferences wedged past their time limit (0: none). */
  public static final String STUCK_HEADER = "modelserve-stuck";
  /** Event-bus header of a worker's answer: how long the inference (its batch) ran, in microseconds. */
  public static final String INFERENCE_HEADER = "modelserve-inference-us";

  private WireFormat() {}

  /**
   * A decoded request, its sender ({@code origin}, a controller's id; empty for others), the
   * sender's id for it (0 when the sender will never ask for it back) and the time the sender
   * allows for its inference. Two controllers count ids independently: origin and id together
   * name a dispatch.
   */
  public record Envelope(ApiRequest request, String origin, long id, long timeoutMs) {}

  public static Buffer encodeRequest(ApiRequest r, long id, long timeoutMs) {
    return encodeRequest(r, "", id, timeoutMs);
  }

  public static Buffer encodeRequest(ApiRequest r, String origin, long id, long timeoutMs) {
    int size = 64 + r.body().length;
    for (List<UploadedFile> files : r.files().values()) {
      for (UploadedFile f : files) {
        size += f.size() + 64;
      }
    }
    Buffer b = Buffer.buffer(size);
    b.appendByte(VERSION);
    putString(b, origin);
    b.appendLong(id);
    b.appendLong(timeoutMs);
    putString(b, r.method());
    putString(b, r.path());
    putMulti(b, r.queryParams());
    putMulti(b, r.formFields());
    putMulti(b, r.headers());
    int count = 0;
    for (List<UploadedFile> files : r.files().values()) {
      count += files.size();
    }
    b.appendInt(count);
    for (List<UploadedFile> files : r.files().values()) {
      for (UploadedFile f : files) {
        putString(b, f.field());
        putString(b, f.fileName());
        putString(b, f.contentType());
        putBytes(b, f.bytes());
      }
    }
    putBytes(b, r.body());
    return b;
  }

  public static Envelope decodeRequest(Buffer b) {
    return decodeRequest(b, () -> false);
  }

  /** As {@link #decodeRequest(Buffer)}, the request's {@code cancelled()} reading {@code cancelled}. */
  public static Envelope decodeRequest(Buffer b, java.util.function.BooleanSupplier cancelled) {
    Reader in = new Reader(b);
    in.version();
    String origin = in.string();
    long id = in.longValue();
    long timeoutMs = in.longValue();
    ApiRequest.Builder r = ApiRequest.builder().cancelledWhen(cancelled).method(in.string()).path(in.string());
    in.multi(r::query);
    in.multi(r::form);
    in.multi(r::header);
    int files = in.integer();
    for (int i = 0; i < files; i++) {
      r.file(new UploadedFile(in.string(), in.string(), in.string(), in.bytes()));
    }
    r.body(in.bytes());
    return new Envelope(r.build(), origin, id, timeoutMs);
  }

  public static Buffer encodeResponse(ApiResponse r) {
    Buffer b = answerHead(ANSWER, r, r.body().length);
    putBytes(b, r.body());
    return b;
  }

  /** Version, {@code kind}, status, content type and headers of {@code r}, with room for {@code bodyLength} more. */
  private static Buffer answerHead(byte kind, ApiResponse r, int bodyLength) {
    Buffer b = Buffer.buffer(32 + bodyLength);
    b.appendByte(VERSION);
    b.appendByte(kind);
    b.appendInt(r.status());
    putString(b, r.contentType());
    b.appendInt(r.headers().size());
    r.headers().forEach((k, v) -> {
      putString(b, k);
      putString(b, v);
    });
    return b;
  }

  /** The reply of a worker that gives a queued request back without running it. */
  public static Buffer returned() {
    return Buffer.buffer(2).appendByte(VERSION).appendByte(RETURNED);
  }

  /**
   * The reply of a worker that already holds all it may (concurrency plus
   * {@link #HELD_AHEAD}, for all controllers together): the request was not started.
   */
  public static Buffer full() {
    return Buffer.buffer(2).appendByte(VERSION).appendByte(FULL);
  }

  /** Whether a reply gives the request back unstarted ({@link #returned()} or {@link #full()}). */
  public static boolean isReturned(Buffer b) {
    return b.length() >= 2 && b.getByte(0) == VERSION && (b.getByte(1) == RETURNED || b.getByte(1) == FULL);
  }

  /** Whether a reply is {@link #full()}. */
  public static boolean isFull(Buffer b) {
    return b.length() >= 2 && b.getByte(0) == VERSION && b.getByte(1) == FULL;
  }

  /** The head of a streamed answer: what the worker replies to the dispatch at its first chunk. */
  public record StreamHead(int status, String contentType, Map<String, String> headers, byte[] firstChunk, boolean ended) {}

  public static Buffer encodeStreamHead(ApiResponse r, byte[] firstChunk, boolean ended) {
    Buffer b = answerHead(STREAM, r, firstChunk.length);
    putBytes(b, firstChunk);
    b.appendByte(ended ? (byte) 1 : (byte) 0);
    return b;
  }

  /** Whether a reply is the head of a streamed answer. */
  public static boolean isStreamHead(Buffer b) {
    return b.length() >= 2 && b.getByte(0) == VERSION && b.getByte(1) == STREAM;
  }

  public static StreamHead decodeStreamHead(Buffer b) {
    Reader in = answerReader(b, STREAM, "not a stream head");
    int status = in.integer();
    String contentType = in.string();
    Map<String, String> headers = in.headers();
    byte[] first = in.bytes();
    boolean ended = b.getByte(in.pos++) != 0;
    return new StreamHead(status, contentType, headers, first, ended);
  }

  public static ApiResponse decodeResponse(Buffer b) {
    Reader in = answerReader(b, ANSWER, "not an answer");
    int status = in.integer();
    String contentType = in.string();
    return new ApiResponse(status, contentType, in.headers(), in.bytes());
  }

  /** A reader past the version and the reply kind, which must be {@code kind}. */
  private static Reader answerReader(Buffer b, byte kind, String otherwise) {
    Reader in = new Reader(b);
    in.version();
    if (b.getByte(in.pos++) != kind) {
      throw new IllegalArgumentException(otherwise);
    }
    return in;
  }

  private static void putString(Buffer b, String s) {
    putBytes(b, s.getBytes(StandardCharsets.UTF_8));
  }

  private static void putBytes(Buffer b, byte[] bytes) {
    b.appendInt(bytes.length);
    b.appendBytes(bytes);
  }

  private static void putMulti(Buffer b, Map<String, List<String>> map) {
    int count = 0;
    for (List<String> values : map.values()) {
      count += values.size();
    }
    b.appendInt(count);
    map.forEach((k, values) -> values.forEach(v -> {
      putString(b, k);
      putString(b, v);
    }));
  }

  private static final class Reader {
    private final Buffer b;
    private int pos;

    Reader(Buffer b) {
      this.b = b;
    }

    void version() {
      byte v = b.getByte(pos++);
      if (v != VERSION) {
        throw new IllegalArgumentException("unknown wire format version " + v);
      }
    }

    long longValue() {
      long v = b.getLong(pos);
      pos += 8;
      return v;
    }

    int integer() {
      int v = b.getInt(pos);
      pos += 4;
      return v;
    }

    byte[] bytes() {
      int n = integer();
      byte[] out = b.getBytes(pos, pos + n);
      pos += n;
      return out;
    }

    /** A count, then that many name and value pairs. */
    Map<String, String> headers() {
      int n = integer();
      Map<String, String> headers = new LinkedHashMap<>();
      for (int k = 0; k < n; k++) {
        headers.put(string(), string());
      }
      return headers;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    void multi(java.util.function.BiConsumer<String, String> sink) {
      int n = integer();
      for (int i = 0; i < n; i++) {
        sink.accept(string(), string());
      }
    }
  }
}
