package io.modelserve;

/**
 * Produces a streamed answer: {@link ApiResponse#stream} and {@link ApiResponse#events}. The
 * worker calls it on the same device thread that ran {@code inference}, right after
 * {@code inference} returned, and the device stays occupied until it returns.
 *
 * <p>Returning ends the stream cleanly. Throwing {@link StreamClosedException} (what a write
 * throws once nobody reads) ends it quietly; throwing anything else before the first chunk
 * answers 500 with the exception's message, after it ends the client's stream with an error
 * (see the README's "Streaming" section).
 */
@FunctionalInterface
public interface StreamWriter {

  void write(ResponseStream out) throws Exception;
}
