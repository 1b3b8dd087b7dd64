package io.modelserve.impl.controller;

import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.vertx.core.Handler;

/** One HTTP request on its way through the controller: queued, dispatched, then answered once. */
final class PendingRequest {

  final String service;
  final ApiRequest request;
  final long arrivedNanos;
  final long deadlineNanos;
  private final Handler<ApiResponse> answer;
  /** Dispatches so far; a second one happens only when the first worker died. */
  int attempts;
  WorkerState worker;
  /** This dispatch's id, by which the worker may be asked to give the request back. */
  long id;
  boolean withdrawing;
  long dispatchedNanos;
  /** Whether it ever left the queue (a request given back unstarted is queued again). */
  boolean dispatchedBefore;
  long timerId = -1;
  /** The timer of {@code --max-queue-wait-ms} while queued, else -1. */
  long queueTimerId = -1;
  private boolean answered;

  PendingRequest(String service, ApiRequest request, long arrivedNanos, long deadlineNanos, Handler<ApiResponse> answer) {
    this.service = service;
    this.request = request;
    this.arrivedNanos = arrivedNanos;
    this.deadlineNanos = deadlineNanos;
    this.answer = answer;
  }

  boolean answered() {
    return answered;
  }

  /** Answers the client; later calls are ignored, so racing outcomes cannot answer twice. */
  boolean answer(ApiResponse response) {
    if (answered) {
      return false;
    }
    answered = true;
    answer.handle(response);
    return true;
  }
}
