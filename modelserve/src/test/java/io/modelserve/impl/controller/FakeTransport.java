package io.modelserve.impl.controller;

import io.modelserve.ApiRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A {@link Transport} that records what the policy sends and runs its timers on a clock the
 * test moves by hand.
 */
final class FakeTransport implements Transport, LongSupplier {

  /** One request the policy sent to a worker. */
  record Sent(String workerId, long dispatchId, ApiRequest request, long timeoutMs) {}

  /** One withdrawal (or cancellation) the policy asked of a worker. */
  record Withdrawal(String workerId, long dispatchId) {}

  final List<Sent> sent = new ArrayList<>();
  final List<Withdrawal> withdrawals = new ArrayList<>();
  final List<Withdrawal> cancellations = new ArrayList<>();
  private final TreeMap<Long, Timer> timers = new TreeMap<>();
  private long nowNanos = TimeUnit.SECONDS.toNanos(1000);
  private long nextTimer = 1;

  private record Timer(long dueNanos, Runnable action) {}

  @Override
  public long getAsLong() {
    return nowNanos;
  }

  /** Moves the clock on, running every timer that falls due on the way, in order. */
  void advance(long millis) {
    long end = nowNanos + TimeUnit.MILLISECONDS.toNanos(millis);
    while (true) {
      Long due = null;
      Timer next = null;
      for (Iterator<java.util.Map.Entry<Long, Timer>> it = timers.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        if (e.getValue().dueNanos() <= end && (next == null || e.getValue().dueNanos() < next.dueNanos())) {
          next = e.getValue();
          due = e.getKey();
        }
      }
      if (next == null) {
        break;
      }
      timers.remove(due);
      nowNanos = Math.max(nowNanos, next.dueNanos());
      next.action().run();
    }
    nowNanos = end;
  }

  int timers() {
    return timers.size();
  }

  /** The requests sent to {@code workerId}, in order. */
  List<Sent> to(String workerId) {
    return sent.stream().filter(s -> s.workerId().equals(workerId)).toList();
  }

  Sent last() {
    return sent.get(sent.size() - 1);
  }

  @Override
  public void send(String workerId, String address, long dispatchId, ApiRequest request, long timeoutMs) {
    sent.add(new Sent(workerId, dispatchId, request, timeoutMs));
  }

  @Override
  public void withdraw(String workerId, long dispatchId) {
    withdrawals.add(new Withdrawal(workerId, dispatchId));
  }

  @Override
  public void cancel(String workerId, long dispatchId) {
    cancellations.add(new Withdrawal(workerId, dispatchId));
  }

  @Override
  public long setTimer(long delayMs, Runnable action) {
    long id = nextTimer++;
    timers.put(id, new Timer(nowNanos + TimeUnit.MILLISECONDS.toNanos(delayMs), action));
    return id;
  }

  @Override
  public void cancelTimer(long timerId) {
    timers.remove(timerId);
  }
}
