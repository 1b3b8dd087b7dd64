package io.modelserve.impl.controller;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One service at the controller: its queue, its workers and its counters. */
final class ServiceState {

  final String name;
  final ArrayDeque<PendingRequest> queue = new ArrayDeque<>();
  final Map<String, WorkerState> workers = new LinkedHashMap<>();
  private int nextStart;
  long served;
  long failed;
  long rejected;
  /** Requests whose clients left before their answer. */
  long abandoned;

  ServiceState(String name) {
    this.name = name;
  }

  /** Workers that may be given work: neither draining nor stuck. */
  int liveWorkers() {
    int n = 0;
    for (WorkerState w : workers.values()) {
      if (!w.draining && !w.stuck) {
        n++;
      }
    }
    return n;
  }

  /** Requests on this service's workers not yet answered. */
  int inFlight() {
    int n = 0;
    for (WorkerState w : workers.values()) {
      n += w.pending.size();
    }
    return n;
  }

  /**
   * The worker with the most free room, ties going round robin so equal workers share work;
   * when none has room, the one quickest to answer that may still take one ahead.
   */
  WorkerState pick() {
    int n = workers.size();
    if (n == 0) {
      return null;
    }
    List<WorkerState> list = new ArrayList<>(workers.values());
    int start = nextStart++ % n;
    WorkerState best = null;
    for (int i = 0; i < n; i++) {
      WorkerState w = list.get((start + i) % n);
      if (w.hasRoom() && (best == null || w.free() > best.free())) {
        best = w;
      }
    }
    if (best != null) {
      return best;
    }
    for (int i = 0; i < n; i++) {
      WorkerState w = list.get((start + i) % n);
      if (w.canTakeAhead() && (best == null || w.meanNanos < best.meanNanos)) {
        best = w;
      }
    }
    return best;
  }

  /** As shown at {@code /_/status}. */
  JsonObject toJson() {
    JsonArray ws = new JsonArray();
    workers.values().stream().sorted(Comparator.comparing(w -> w.id)).forEach(w -> ws.add(w.toJson()));
    return new JsonObject()
        .put("workers", ws)
        .put("liveWorkers", liveWorkers())
        .put("queued", queue.size())
        .put("served", served)
        .put("failed", failed)
        .put("rejected", rejected)
        .put("abandoned", abandoned);
  }
}
