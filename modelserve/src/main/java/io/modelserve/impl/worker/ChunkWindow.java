package io.modelserve.impl.worker;

import io.modelserve.StreamClosedException;
import java.util.function.BooleanSupplier;

/**
 * The chunks of one stream sent and not yet acknowledged by the controller. A writer takes a
 * place before each chunk ({@link #acquire}) and waits while the window is full; the
 * controller's acknowledgement gives it back ({@link #ack}). A refused chunk, a lost controller
 * or a cancelled request fails the window for good: every later {@code acquire} throws.
 *
 * <p>The writer (a device thread) and the acknowledgements (an event loop) meet here.
 */
final class ChunkWindow {

  /** How often a waiting writer looks at the cancellation flag, which sets nothing off here. */
  static final long POLL_MS = 20;

  private final BooleanSupplier cancelled;
  private int unacked;
  private String failure;

  ChunkWindow(BooleanSupplier cancelled) {
    this.cancelled = cancelled;
  }

  /**
   * Takes a place for one chunk, waiting while {@code max} or more are unacknowledged.
   *
   * @throws StreamClosedException once the window failed or the request was cancelled, also
   *     while waiting (within {@link #POLL_MS})
   */
  synchronized void acquire(int max) {
    while (true) {
      if (failure == null && cancelled.getAsBoolean()) {
        failure = "the client has gone";
      }
      if (failure != null) {
        throw new StreamClosedException(failure);
      }
      if (unacked < max) {
        unacked++;
        return;
      }
      try {
        wait(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = "interrupted";
      }
    }
  }

  /** The controller took one chunk. */
  synchronized void ack() {
    if (unacked > 0) {
      unacked--;
    }
    notifyAll();
  }

  /** No more chunks: {@code why} is what the writer's next write throws. The first reason stays. */
  synchronized void fail(String why) {
    if (failure == null) {
      failure = why;
    }
    notifyAll();
  }

  synchronized boolean failed() {
    if (failure == null && cancelled.getAsBoolean()) {
      failure = "the client has gone";
    }
    return failure != null;
  }

  synchronized int unacked() {
    return unacked;
  }
}
