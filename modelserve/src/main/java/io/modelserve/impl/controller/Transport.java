package io.modelserve.impl.controller;

import io.modelserve.ApiRequest;

/**
 * What {@link DispatchPolicy} asks of the outside world: messages to workers and timers. The
 * outcome of {@link #send} comes back through {@link DispatchPolicy#onReply} or
 * {@link DispatchPolicy#onFailure}. {@link Dispatcher} implements it on the event bus; tests
 * implement it with a list and a fake clock.
 */
interface Transport {

  /** Sends {@code request} to the worker at {@code address} under {@code dispatchId}. */
  void send(String workerId, String address, long dispatchId, ApiRequest request, long timeoutMs);

  /** Asks a worker to give back dispatch {@code dispatchId} if it has not started it. */
  void withdraw(String workerId, long dispatchId);

  /**
   * Tells a worker that nobody waits for dispatch {@code dispatchId} any more: it gives it back
   * if it has not started it, else the model sees {@code request.cancelled()}.
   */
  void cancel(String workerId, long dispatchId);

  /** Runs {@code action} after {@code delayMs}; returns an id for {@link #cancelTimer}. */
  long setTimer(long delayMs, Runnable action);

  void cancelTimer(long timerId);

  /**
   * Runs {@code action} on the dispatcher's thread: at once when called there, else queued to
   * it. What an HTTP event loop of the controller reports (a client gone, a response drained)
   * comes in through here.
   */
  default void onDispatcherThread(Runnable action) {
    action.run();
  }
}
