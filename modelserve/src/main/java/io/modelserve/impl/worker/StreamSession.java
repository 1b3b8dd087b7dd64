package io.modelserve.impl.worker;

import io.modelserve.ApiResponse;
import io.modelserve.ResponseStream;
import io.modelserve.StreamClosedException;
import io.modelserve.impl.Addresses;
import io.modelserve.impl.Errors;
import io.modelserve.impl.wire.WireFormat;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streamed answer to a controller's dispatch, written by the model on the device thread.
 *
 * <p>The first chunk (or the end of a stream that wrote none) is the reply to the dispatch, a
 * stream head ({@link WireFormat#encodeStreamHead}): until then the request is an ordinary one,
 * retried elsewhere if this worker dies. Later chunks go as event-bus requests to the
 * controller's stream address with the dispatch id and a sequence number; the controller
 * acknowledges each once its client's connection has taken it. At most {@code window} chunks
 * are unacknowledged; the second chunk waits for the head's acknowledgement so that it cannot
 * overtake it.
 */
public final class StreamSession implements ResponseStream, StreamHandler {

  private static final Logger log = LoggerFactory.getLogger(StreamSession.class);

  private final Vertx vertx;
  private final Context context;
  private final Message<Buffer> dispatch;
  private final String service;
  private final String address;
  private final String workerId;
  private final long dispatchId;
  private final int window;
  private final long ackTimeoutMs;
  private final Supplier<DeliveryOptions> held;
  private final ChunkWindow chunks;
  private ApiResponse head;
  /** Chunks sent so far, the head's included. */
  private long seq;
  private volatile boolean ended;

  public StreamSession(Vertx vertx, Context context, Message<Buffer> dispatch, String service, String controllerId,
      String workerId, long dispatchId, int window, long ackTimeoutMs, BooleanSupplier cancelled,
      Supplier<DeliveryOptions> held) {
    this.vertx = vertx;
    this.context = context;
    this.dispatch = dispatch;
    this.service = service;
    this.address = Addresses.stream(controllerId);
    this.workerId = workerId;
    this.dispatchId = dispatchId;
    this.window = Math.max(1, window);
    this.ackTimeoutMs = ackTimeoutMs;
    this.held = held;
    this.chunks = new ChunkWindow(cancelled);
  }

  @Override
  public ApiResponse run(ApiResponse streamed) {
    head = streamed;
    // the controller now waits for the first chunk under its own timeout, not the request's
    context.runOnContext(v -> vertx.eventBus().send(address, null, headers(WireFormat.KIND_STARTED, 0)));
    Throwable error = null;
    try {
      streamed.streamWriter().write(this);
    } catch (Throwable t) {
      error = t;
    }
    ended = true;
    if (seq == 0) {
      if (error == null) {
        Buffer empty = WireFormat.encodeStreamHead(head, new byte[0], true);
        context.runOnContext(v -> dispatch.reply(empty, held.get()));
        return head;
      }
      return error instanceof StreamClosedException
          ? Errors.json(499, error.getMessage(), service, null)
          : Errors.json(500, message(error), service, null);
    }
    if (error instanceof StreamClosedException) {
      // refused or timed out: the controller has ended its client's stream already
      return head;
    }
    if (error != null) {
      log.warn("'{}' stream failed after {} chunk(s): {}", service, seq, error.toString());
    }
    try {
      chunks.acquire(seq == 1 ? 1 : window);
    } catch (StreamClosedException e) {
      return error == null ? head : head.withStatus(500);
    }
    long n = seq++;
    String kind = error == null ? WireFormat.KIND_END : WireFormat.KIND_ERROR;
    Buffer body = error == null ? Buffer.buffer() : Buffer.buffer(message(error));
    context.runOnContext(v -> vertx.eventBus().request(address, body, headers(kind, n).setSendTimeout(ackTimeoutMs)));
    return error == null ? head : head.withStatus(500);
  }

  @Override
  public void write(byte[] bytes) {
    if (ended) {
      throw new StreamClosedException("the stream has ended: its writer returned");
    }
    if (seq == 0) {
      chunks.acquire(1);
      seq = 1;
      Buffer first = WireFormat.encodeStreamHead(head, bytes, false);
      context.runOnContext(v -> dispatch.<Buffer>replyAndRequest(first, held.get().setSendTimeout(ackTimeoutMs))
          .onComplete(this::acked));
      return;
    }
    chunks.acquire(seq == 1 ? 1 : window);
    long n = seq++;
    Buffer chunk = Buffer.buffer(bytes);
    context.runOnContext(v -> vertx.eventBus().<Buffer>request(address, chunk,
        headers(WireFormat.KIND_DATA, n).setSendTimeout(ackTimeoutMs)).onComplete(this::acked));
  }

  @Override
  public boolean cancelled() {
    return chunks.failed();
  }

  private void acked(AsyncResult<Message<Buffer>> ar) {
    if (ar.succeeded()) {
      chunks.ack();
    } else {
      chunks.fail("the controller refused the chunk: " + ar.cause().getMessage());
    }
  }

  private DeliveryOptions headers(String kind, long n) {
    return new DeliveryOptions()
        .addHeader(WireFormat.STREAM_ID, Long.toString(dispatchId))
        .addHeader(WireFormat.STREAM_WORKER, workerId)
        .addHeader(WireFormat.STREAM_SEQ, Long.toString(n))
        .addHeader(WireFormat.STREAM_KIND, kind);
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
