package io.modelserve.impl.controller;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;

/** What the controller knows of one worker; touched only on the controller's event loop. */
final class WorkerState {

  final String id;
  final String service;
  final String address;
  final Set<PendingRequest> pending = new LinkedHashSet<>();
  JsonObject lastHeartbeat;
  long lastSeenNanos;
  int capacity;
  boolean draining;
  long served;
  long failed;

  WorkerState(String id, String service, String address) {
    this.id = id;
    this.service = service;
    this.address = address;
  }

  int outstanding() {
    return pending.size();
  }

  /** Mean time from dispatch to answer, smoothed: which busy worker frees up first. */
  double meanNanos;

  boolean hasRoom() {
    return !draining && pending.size() < capacity;
  }

  boolean canTakeAhead(int ahead) {
    return !draining && pending.size() < capacity + ahead;
  }

  void observe(long nanos) {
    meanNanos = meanNanos == 0 ? nanos : meanNanos * 0.8 + nanos * 0.2;
  }

  JsonObject toJson() {
    JsonObject hb = lastHeartbeat == null ? new JsonObject() : lastHeartbeat;
    return new JsonObject()
        .put("id", id)
        .put("device", hb.getString("device"))
        .put("host", hb.getString("host"))
        .put("httpPort", hb.getInteger("httpPort"))
        .put("pid", hb.getLong("pid"))
        .put("concurrency", capacity)
        .put("state", draining ? "draining" : "serving")
        .put("inFlight", pending.size())
        .put("served", served)
        .put("failed", failed);
  }
}
