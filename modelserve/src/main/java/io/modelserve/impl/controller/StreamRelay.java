package io.modelserve.impl.controller;

import io.modelserve.ApiResponse;
import io.modelserve.impl.wire.WireFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The controller's streamed answers in progress, by dispatch id. Workers send the chunks after
 * the first to one address per controller ({@code Addresses.stream(id)}), consumed here; a
 * stream's head (its first chunk) arrives as the dispatch's reply and opens it ({@link #open}).
 *
 * <p>Touched only on the dispatcher's event loop.
 */
final class StreamRelay {

  private final Map<Long, RelayedStream> streams = new HashMap<>();
  private final Transport transport;
  private final long chunkTimeoutMs;
  private final BiConsumer<String, Long> started;

  /** {@code started}: a worker's model returned a stream for dispatch (worker, id), before any chunk. */
  StreamRelay(Transport transport, long chunkTimeoutMs, BiConsumer<String, Long> started) {
    this.transport = transport;
    this.chunkTimeoutMs = chunkTimeoutMs;
    this.started = started;
  }

  /**
   * A stream head from {@code workerId}, the reply to dispatch {@code id}: the answer that the
   * client gets, whose body relays the stream. It acknowledges the head once written.
   */
  ApiResponse open(String service, String workerId, long id, Message<Buffer> reply) {
    WireFormat.StreamHead head = WireFormat.decodeStreamHead(reply.body());
    RelayedStream s = new RelayedStream(this, service, workerId, id, head, reply);
    if (!head.ended()) {
      streams.put(id, s);
    }
    ApiResponse r = ApiResponse.stream(head.contentType(), s).withStatus(head.status());
    for (Map.Entry<String, String> h : head.headers().entrySet()) {
      r = r.withHeader(h.getKey(), h.getValue());
    }
    return r;
  }

  /** A stream head nobody waits for any more (the client left, or the dispatch was retried). */
  void refuse(long id, Message<Buffer> reply) {
    RelayedStream s = streams.get(id);
    if (s != null) {
      s.fail("nobody waits for the stream", true);
    } else if (reply.replyAddress() != null) {
      reply.fail(RelayedStream.GONE, "nobody waits for the stream");
    }
  }

  /** A message at this controller's stream address. */
  void onMessage(Message<Buffer> msg) {
    String kind = msg.headers().get(WireFormat.STREAM_KIND);
    String worker = msg.headers().get(WireFormat.STREAM_WORKER);
    long id;
    long seq;
    try {
      id = Long.parseLong(msg.headers().get(WireFormat.STREAM_ID));
      seq = Long.parseLong(msg.headers().get(WireFormat.STREAM_SEQ));
    } catch (RuntimeException e) {
      msg.fail(400, "a stream message needs numeric id and seq headers");
      return;
    }
    if (WireFormat.KIND_STARTED.equals(kind)) {
      started.accept(worker, id);
      return;
    }
    RelayedStream s = streams.get(id);
    if (s == null || !s.workerId.equals(worker)) {
      msg.fail(RelayedStream.GONE, "no stream " + id + " from worker " + worker + " here (ended, or its client left)");
      return;
    }
    s.onChunk(kind, seq, msg);
  }

  /** {@code workerId} was dropped: its streams end with an error for their clients. */
  void workerDropped(String workerId, String why) {
    for (RelayedStream s : new ArrayList<>(streams.values())) {
      if (s.workerId.equals(workerId)) {
        s.fail("worker " + workerId + " " + why + " in the middle of the stream", false);
      }
    }
  }

  /** Streams in progress. */
  int open() {
    return streams.size();
  }

  long chunkTimeoutMs() {
    return chunkTimeoutMs;
  }

  void cancel(RelayedStream s) {
    transport.cancel(s.workerId, s.id);
  }

  void forget(RelayedStream s) {
    streams.remove(s.id, s);
  }

  void onDispatcherThread(Runnable action) {
    transport.onDispatcherThread(action);
  }

  long setTimer(long ms, Runnable action) {
    return transport.setTimer(ms, action);
  }

  void cancelTimer(long timerId) {
    if (timerId >= 0) {
      transport.cancelTimer(timerId);
    }
  }
}
