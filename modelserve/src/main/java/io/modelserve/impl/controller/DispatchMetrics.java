package io.modelserve.impl.controller;

import java.util.function.IntSupplier;

/**
 * What the dispatcher tells the metrics as it works (see {@code impl.metrics}). Every method
 * runs on the controller's event loop; the default does nothing, for tests of the policy alone.
 */
public interface DispatchMetrics {

  /** Records nothing. */
  DispatchMetrics NONE = new DispatchMetrics() {};

  /** A service appeared: its queue depth, requests in flight on its workers, and live workers. */
  default void service(String name, IntSupplier queued, IntSupplier inFlight, IntSupplier liveWorkers) {}

  /** A request left the queue for a worker after {@code queuedNanos}; {@code retry}: not its first worker. */
  default void dispatched(String service, long queuedNanos, boolean retry) {}

  /** A worker says how long the inference of an answer took. */
  default void inference(String service, long nanos) {}

  /** A request refused for capacity: {@code reason} is {@code queue_full} or {@code queue_wait}. */
  default void rejected(String service, String reason) {}

  /** A request's client left before its answer, {@code nanos} after it arrived. */
  default void abandoned(String service, long nanos) {}

  /** A worker answered with a stream. */
  default void streamStarted(String service) {}
}
