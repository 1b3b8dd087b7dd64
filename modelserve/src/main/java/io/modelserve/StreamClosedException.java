package io.modelserve;

/**
 * Thrown by a {@link ResponseStream} write once nobody reads the stream any more: the client
 * disconnected, a stream timeout fired, or the worker lost the controller. A writer need not
 * catch it: letting it propagate ends the stream, and the device is free for the next request.
 */
public final class StreamClosedException extends RuntimeException {

  public StreamClosedException(String message) {
    super(message);
  }
}
