package io.modelserve.impl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.StreamClosedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The worker side of a stream's back-pressure, with a writer thread and acknowledgements by hand. */
class ChunkWindowTest {

  final AtomicBoolean cancelled = new AtomicBoolean();
  final ChunkWindow window = new ChunkWindow(cancelled::get);

  CompletableFuture<Void> acquireInAnotherThread(int max) {
    return CompletableFuture.runAsync(() -> window.acquire(max));
  }

  @Test
  void aWriterTakesUpToTheWindowWithoutWaiting() {
    for (int i = 0; i < 8; i++) {
      window.acquire(8);
    }
    assertEquals(8, window.unacked());
  }

  @Test
  void aFullWindowBlocksTheWriterUntilAnAcknowledgement() throws Exception {
    for (int i = 0; i < 3; i++) {
      window.acquire(3);
    }
    CompletableFuture<Void> fourth = acquireInAnotherThread(3);
    assertThrows(TimeoutException.class, () -> fourth.get(200, TimeUnit.MILLISECONDS), "blocked while full");
    window.ack();
    fourth.get(5, TimeUnit.SECONDS);
    assertEquals(3, window.unacked());
  }

  @Test
  void aFailureWakesTheWaitingWriterAndEveryLaterWriteThrows() throws Exception {
    window.acquire(1);
    CompletableFuture<Void> second = acquireInAnotherThread(1);
    window.fail("the controller refused the chunk");
    var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> second.get(5, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof StreamClosedException, e.toString());
    assertEquals("the controller refused the chunk", e.getCause().getMessage());
    window.ack();
    assertThrows(StreamClosedException.class, () -> window.acquire(8));
    window.fail("a later reason");
    StreamClosedException again = assertThrows(StreamClosedException.class, () -> window.acquire(8));
    assertEquals("the controller refused the chunk", again.getMessage(), "the first reason stays");
  }

  @Test
  void aCancelledRequestStopsAWriterThatWaitsWithinAPoll() throws Exception {
    window.acquire(1);
    CompletableFuture<Void> second = acquireInAnotherThread(1);
    assertFalse(window.failed());
    cancelled.set(true);
    var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> second.get(5, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof StreamClosedException, e.toString());
    assertTrue(window.failed());
  }

  @Test
  void anInterruptedWriterStopsWithAClosedStream() throws Exception {
    window.acquire(1);
    Thread.currentThread().interrupt();
    try {
      assertThrows(StreamClosedException.class, () -> window.acquire(1));
    } finally {
      Thread.interrupted();
    }
  }
}
