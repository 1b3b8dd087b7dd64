package io.modelserve.impl.controller;

import io.modelserve.ResponseStream;
import io.modelserve.ServerSentEvents;
import io.modelserve.StreamWriter;
import io.modelserve.impl.http.StreamedBody;
import io.modelserve.impl.wire.WireFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * One streamed answer on its way from a worker to a client, on the controller. Each chunk is
 * written to the HTTP response and acknowledged to the worker once the response's write queue
 * has room again (its drain handler): the worker sends no more than its window beyond that,
 * so a slow client slows the model instead of filling the controller's memory.
 *
 * <p>It ends in one of these ways: the worker's end (the response ends cleanly); the worker's
 * error, its death, a chunk timeout or chunks out of order (an {@code event: error} and a clean
 * end for Server-Sent Events; for any other stream the connection closes without the final
 * empty chunk, so that no client takes a truncated body for a whole one); or the client's
 * leaving (the worker is told, and its next chunk refused).
 *
 * <p>Touched only on the dispatcher's event loop; the response it writes may belong to another
 * of the controller's loops (Vert.x takes writes from any thread), whose handlers' events it
 * brings home first.
 */
final class RelayedStream implements StreamWriter, StreamedBody {

  /** Failure code of a refused chunk: nobody reads the stream any more. */
  static final int GONE = 410;

  final String service;
  final String workerId;
  final long id;
  private final StreamRelay relay;
  private final boolean events;
  private final byte[] firstChunk;
  private final boolean endedAtHead;
  private Message<Buffer> unacked;
  private HttpServerResponse out;
  private long expected = 1;
  private long timerId = -1;
  private String finished;

  RelayedStream(StreamRelay relay, String service, String workerId, long id, WireFormat.StreamHead head,
      Message<Buffer> headMessage) {
    this.relay = relay;
    this.service = service;
    this.workerId = workerId;
    this.id = id;
    this.events = head.contentType().toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    this.firstChunk = head.firstChunk();
    this.endedAtHead = head.ended();
    this.unacked = head.ended() ? null : headMessage;
  }

  @Override
  public void write(ResponseStream out) {
    throw new UnsupportedOperationException("a relayed stream is written by its worker");
  }

  @Override
  public void attach(HttpServerResponse response) {
    // the response's own handlers fire on its connection's event loop, one of the HTTP loops
    relay.onDispatcherThread(() -> attachHere(response));
  }

  private void attachHere(HttpServerResponse response) {
    this.out = response;
    if (response.ended() || response.closed()) {
      gone();
      return;
    }
    response.closeHandler(v -> relay.onDispatcherThread(this::gone));
    response.exceptionHandler(e -> relay.onDispatcherThread(this::gone));
    // from the first chunk on: a client that never takes it ends the stream too
    restartTimer();
    if (firstChunk.length > 0) {
      response.write(Buffer.buffer(firstChunk));
    }
    if (endedAtHead) {
      finish("ended");
      response.end();
      return;
    }
    Message<Buffer> head = unacked;
    unacked = null;
    ackWhenWritable(head);
  }

  /** A chunk, the end or an error from the worker, numbered {@code seq}. */
  void onChunk(String kind, long seq, Message<Buffer> msg) {
    if (finished != null) {
      msg.fail(GONE, finished);
      return;
    }
    if (seq != expected) {
      msg.fail(GONE, "chunk " + seq + " came when " + expected + " was due");
      fail("the worker's chunks came out of order (" + seq + " when " + expected + " was due)", true);
      return;
    }
    expected++;
    switch (kind) {
      case WireFormat.KIND_DATA -> {
        Buffer chunk = msg.body();
        if (chunk != null && chunk.length() > 0) {
          // an empty write could read as the end of a chunked body
          out.write(chunk);
        }
        ackWhenWritable(msg);
      }
      case WireFormat.KIND_END -> {
        finish("ended");
        msg.reply(Buffer.buffer());
        out.end();
      }
      case WireFormat.KIND_ERROR -> {
        msg.reply(Buffer.buffer());
        fail("the model failed: " + (msg.body() == null ? "" : msg.body().toString()), false);
      }
      default -> {
        msg.fail(GONE, "unknown chunk kind " + kind);
        fail("the worker sent a chunk of unknown kind " + kind, true);
      }
    }
  }

  /**
   * Ends the client's stream with an error: Server-Sent Events get an {@code error} event and a
   * clean end, other streams a closed connection without the last chunk.
   */
  void fail(String why, boolean tellWorker) {
    if (finished != null) {
      return;
    }
    finish(why);
    if (tellWorker) {
      relay.cancel(this);
    }
    if (out == null || out.ended() || out.closed()) {
      return;
    }
    if (events) {
      String data = new JsonObject().put("error", why).put("service", service).encode();
      out.write(Buffer.buffer(ServerSentEvents.frame("error", data)));
      out.end();
    } else {
      out.reset();
    }
  }

  /** The client has gone: the worker's next chunk is refused, and the worker is told now. */
  private void gone() {
    if (finished == null) {
      finish("the client has gone");
      relay.cancel(this);
    }
  }

  private void ackWhenWritable(Message<Buffer> msg) {
    if (!out.writeQueueFull()) {
      msg.reply(Buffer.buffer());
      restartTimer();
      return;
    }
    unacked = msg;
    // the timer runs on: a client that reads nothing for the chunk timeout ends the stream
    out.drainHandler(v -> relay.onDispatcherThread(() -> {
      out.drainHandler(null);
      Message<Buffer> m = unacked;
      unacked = null;
      if (m != null && finished == null) {
        m.reply(Buffer.buffer());
        restartTimer();
      }
    }));
  }

  private void restartTimer() {
    relay.cancelTimer(timerId);
    timerId = relay.setTimer(relay.chunkTimeoutMs(), () -> {
      timerId = -1;
      fail("no chunk within " + relay.chunkTimeoutMs() + " ms", true);
    });
  }

  private void finish(String why) {
    finished = why;
    relay.cancelTimer(timerId);
    timerId = -1;
    relay.forget(this);
    if (unacked != null) {
      unacked.fail(GONE, why);
      unacked = null;
    }
  }
}
