package io.modelserve.impl.controller;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dispatch ids given to workers that were then dropped, by worker id. Their requests went
 * elsewhere; should such a worker come back (its heartbeats were only late), it is told to give
 * them back, so that what it had not started does not run twice.
 */
final class DroppedDispatches {

  private record Dropped(List<Long> dispatchIds, long forgetAtNanos) {}

  private final Map<String, Dropped> byWorker = new HashMap<>();

  void remember(String workerId, Collection<Long> dispatchIds, long forgetAtNanos) {
    if (!dispatchIds.isEmpty()) {
      byWorker.put(workerId, new Dropped(new ArrayList<>(dispatchIds), forgetAtNanos));
    }
  }

  /** The ids given to {@code workerId} before it was dropped, forgotten from now on. */
  List<Long> recall(String workerId) {
    Dropped d = byWorker.remove(workerId);
    return d == null ? List.of() : d.dispatchIds();
  }

  /** Forgets ids whose requests can no longer matter at {@code nowNanos}. */
  void forgetBefore(long nowNanos) {
    byWorker.values().removeIf(d -> d.forgetAtNanos() - nowNanos < 0);
  }
}
