package io.modelserve;

import java.nio.charset.StandardCharsets;

/**
 * Where a {@link StreamWriter} writes its answer, chunk by chunk, as it produces it.
 *
 * <p>Each write sends one chunk. A write blocks while too many chunks are on their way to a
 * client that has not taken them yet (a slow client slows the model instead of filling memory),
 * and throws {@link StreamClosedException} once the client has gone, the stream timed out or
 * the controller refused the chunk. A writer that simply loops over {@code out.event(...)} thus
 * stops within one step when its client leaves.
 */
public interface ResponseStream {

  /** Sends {@code bytes} as one chunk. @throws StreamClosedException when nobody reads any more */
  void write(byte[] bytes);

  /** Whether nobody reads any more: the next write would throw {@link StreamClosedException}. */
  boolean cancelled();

  /** Sends {@code text} as UTF-8. */
  default void write(String text) {
    write(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sends one Server-Sent Event without a name ({@code message} for a browser's
   * {@code EventSource}); a multi-line {@code data} becomes several {@code data:} lines.
   */
  default void event(String data) {
    write(ServerSentEvents.frame(null, data));
  }

  /** Sends one Server-Sent Event named {@code name}. */
  default void event(String name, String data) {
    write(ServerSentEvents.frame(name, data));
  }
}
