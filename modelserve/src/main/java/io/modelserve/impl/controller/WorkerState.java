package io.modelserve.impl.controller;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the controller knows of one worker; touched only on the controller's event loop. */
final class WorkerState {

  final String id;
  final String service;
  final String address;
  /** Requests dispatched here and not answered yet, by dispatch id, oldest first. */
  final Map<Long, PendingRequest> pending = new LinkedHashMap<>();
  JsonObject lastHeartbeat;
  long lastSeenNanos;
  /** Requests it runs at once: its concurrency times its batch size. */
  int capacity;
  /** Requests it may hold beyond its capacity, waiting to run next: a whole next batch. */
  int ahead = DispatchPolicy.AHEAD;
  /** Requests per batch (1: the model does not batch). */
  int maxBatchSize = 1;
  boolean draining;
  /** Its device runs an inference past its time limit: no work for it until that ends. */
  boolean stuck;
  long served;
  long failed;

  WorkerState(String id, String service, String address) {
    this.id = id;
    this.service = service;
    this.address = address;
  }

  /**
   * Inferences the worker holds that are not this controller's pending ones: another
   * controller's, or ours from before a drop, or ones answered 504 that still occupy the device.
   * Known from the worker's heartbeats and replies.
   */
  int heldElsewhere;

  /** What the worker says its device holds now; {@code held < 0}: it did not say. */
  void reportHeld(int held) {
    if (held >= 0) {
      heldElsewhere = Math.max(0, held - pending.size());
    }
  }

  /** Requests this worker holds, as far as this controller can tell. */
  int outstanding() {
    return pending.size() + heldElsewhere;
  }

  /** The request dispatched here last: the one that waits ahead, if any does. */
  PendingRequest newest() {
    PendingRequest last = null;
    for (PendingRequest p : pending.values()) {
      last = p;
    }
    return last;
  }

  double free() {
    return (capacity - outstanding()) / (double) capacity;
  }

  /** Mean time from dispatch to answer, smoothed: which busy worker frees up first. */
  double meanNanos;

  boolean hasRoom() {
    return !draining && !stuck && outstanding() < capacity;
  }

  boolean canTakeAhead() {
    return !draining && !stuck && outstanding() < capacity + ahead;
  }

  void observe(long nanos) {
    meanNanos = meanNanos == 0 ? nanos : meanNanos * 0.8 + nanos * 0.2;
  }

  private static double meanBatchSize(JsonObject hb) {
    long batches = hb.getLong("batches", 0L);
    return batches == 0 ? 0 : Math.round(100.0 * hb.getLong("batchedRequests", 0L) / batches) / 100.0;
  }

  JsonObject toJson() {
    JsonObject hb = lastHeartbeat == null ? new JsonObject() : lastHeartbeat;
    return new JsonObject()
        .put("id", id)
        .put("device", hb.getString("device"))
        .put("host", hb.getString("host"))
        .put("httpPort", hb.getInteger("httpPort"))
        .put("pid", hb.getLong("pid"))
        .put("concurrency", hb.getInteger("concurrency", capacity))
        .put("capacity", capacity)
        .put("maxBatchSize", maxBatchSize)
        .put("batches", hb.getLong("batches", 0L))
        .put("meanBatchSize", meanBatchSize(hb))
        .put("lastBatchSize", hb.getInteger("lastBatchSize", 0))
        .put("state", draining ? "draining" : stuck ? "stuck" : "serving")
        .put("inFlight", pending.size())
        .put("heldElsewhere", heldElsewhere)
        .put("served", served)
        .put("failed", failed);
  }
}
