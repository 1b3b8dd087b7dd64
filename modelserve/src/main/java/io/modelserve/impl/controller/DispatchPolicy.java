package io.modelserve.impl.controller;

import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.impl.Errors;
import io.modelserve.impl.wire.WireFormat;
import io.modelserve.options.ControllerOptions;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which worker gets which request, and what happens when things go wrong. Each service has one
 * queue; a request leaves it for a worker with a free slot (outstanding below its concurrency),
 * so fast and slow workers each take work as soon as they free up.
 *
 * <p>When every worker is busy, each may also hold one request ahead, waiting on the worker, so
 * that its device starts the next inference the moment it finishes one instead of idling for
 * the round trip to the controller. Should a worker then fall idle while another still holds a
 * request ahead, the policy withdraws that request and gives it to the idle one.
 *
 * <p>A batching worker counts in requests: its slots are its concurrency times its batch size,
 * and it may hold a whole batch ahead.
 *
 * <p>Workers are known from their heartbeats; one that falls silent is dropped and its
 * in-flight requests go once to another worker. Replies are matched by dispatch id, so a reply
 * from a dropped worker, or to a dispatch that was retried elsewhere, is ignored.
 *
 * <p>Pure logic: time comes from a clock and every message and timer goes through a
 * {@link Transport}. Not thread-safe: the controller calls it from one event loop.
 */
final class DispatchPolicy {

  private static final Logger log = LoggerFactory.getLogger(DispatchPolicy.class);
  /** Requests (batches, for a batching worker) a busy worker may hold beyond its concurrency. */
  static final int AHEAD = WireFormat.HELD_AHEAD;

  /** How a dispatch failed without an answer from the worker. */
  enum Failure {
    /** Nobody listens at the worker's address any more: it left. */
    GONE,
    /** No reply within the request's time and a grace period. */
    TIMEOUT,
    /** Anything else the transport reports. */
    OTHER
  }

  private final ControllerOptions options;
  private final LongSupplier clock;
  private final Transport transport;
  private final Map<String, ServiceState> services = new TreeMap<>();
  private final Map<String, WorkerState> workers = new LinkedHashMap<>();
  private final DroppedDispatches dropped = new DroppedDispatches();
  /**
   * How long a worker dropped because its address had no handler waits before its heartbeats
   * register it again: a worker that merged back from a split heartbeats before its address's
   * registration has spread, and would otherwise flap in and out several times a second.
   */
  static final long REJOIN_AFTER_GONE_MS = 1_000;
  /** Workers dropped as no longer listening, with when their heartbeats count again. */
  private final Map<String, Long> notListening = new HashMap<>();
  /** When each worker's address last had no handler, for {@link #notListening(long)}. */
  private final Map<String, Long> lastGone = new HashMap<>();

  /**
   * Workers whose address had no handler within the last {@code withinMs} although they may
   * still heartbeat: their registration is lost (a merge raced the cleanup of the member they
   * were before it), and the controller tells them so over HTTP ({@code /_/cluster}).
   */
  java.util.List<String> notListening(long withinMs) {
    long since = clock.getAsLong() - TimeUnit.MILLISECONDS.toNanos(withinMs);
    lastGone.values().removeIf(at -> at - since < 0);
    return new ArrayList<>(lastGone.keySet());
  }
  private long nextId = 1;
  private java.util.function.BiConsumer<String, String> droppedListener = (id, why) -> {};

  private final DispatchMetrics metrics;

  DispatchPolicy(ControllerOptions options, LongSupplier nanoClock, Transport transport) {
    this(options, nanoClock, transport, DispatchMetrics.NONE);
  }

  DispatchPolicy(ControllerOptions options, LongSupplier nanoClock, Transport transport, DispatchMetrics metrics) {
    this.options = options;
    this.clock = nanoClock;
    this.transport = transport;
    this.metrics = metrics;
  }

  /** {@code listener} hears of every worker dropped (its id, and why): its streams end. */
  void onDropped(java.util.function.BiConsumer<String, String> listener) {
    this.droppedListener = listener;
  }

  /** The service of a known worker, or {@code null}. */
  String serviceOf(String workerId) {
    WorkerState w = workers.get(workerId);
    return w == null ? null : w.service;
  }

  /**
   * The model on {@code workerId} returned a stream for dispatch {@code dispatchId} and writes
   * its first chunk: from now on the first-chunk timeout bounds the wait, not the request's.
   */
  void onStreamStarted(String workerId, long dispatchId) {
    WorkerState w = workers.get(workerId);
    PendingRequest p = w == null ? null : w.pending.get(dispatchId);
    if (p == null || p.answered()) {
      return;
    }
    transport.cancelTimer(p.timerId);
    long limit = options.getStreamFirstChunkTimeoutMs();
    p.timerId = transport.setTimer(limit, () -> {
      p.timerId = -1;
      if (p.answered()) {
        return;
      }
      services.get(p.service).failed++;
      finish(p, Errors.json(504, "the stream's first chunk did not come within " + limit + " ms", p.service, null));
      if (p.worker != null) {
        transport.cancel(p.worker.id, p.id);
      }
    });
  }

  boolean knows(String service) {
    return services.containsKey(service);
  }

  ApiResponse unknown(String name) {
    return unknown(name, services.keySet());
  }

  /** 404 for {@code name}, listing {@code known} (in their order). */
  static ApiResponse unknown(String name, java.util.Collection<String> known) {
    return Errors.json(404, "no service named '" + name + "'", name,
        new JsonObject().put("services", new JsonArray(new ArrayList<>(known))));
  }

  /** {@code null} when a request for {@code service} may be queued now, else the error answer. */
  ApiResponse admit(String service) {
    ServiceState s = services.get(service);
    if (s == null) {
      return unknown(service);
    }
    if (s.liveWorkers() == 0) {
      return noLiveWorker(service);
    }
    if (s.queue.size() >= options.getMaxQueue()) {
      // counted here: the HTTP front refuses with this answer before the body, without submit
      s.rejected++;
      metrics.rejected(service, "queue_full");
      return Errors.json(503, "service '" + service + "' is over capacity: "
          + s.queue.size() + " requests queued", service, null).withHeader("Retry-After", "1");
    }
    return null;
  }

  /** Queues a request; what it returns says the client has gone. */
  Runnable submit(String service, ApiRequest request, Handler<ApiResponse> answer) {
    ApiResponse refused = admit(service);
    if (refused != null) {
      answer.handle(refused);
      return () -> {};
    }
    ServiceState s = services.get(service);
    long now = clock.getAsLong();
    long deadline = now + TimeUnit.MILLISECONDS.toNanos(options.getRequestTimeoutMs());
    PendingRequest p = new PendingRequest(service, request, now, deadline, answer);
    p.timerId = transport.setTimer(options.getRequestTimeoutMs(), () -> timeOut(p));
    if (options.getMaxQueueWaitMs() > 0) {
      p.queueTimerId = transport.setTimer(options.getMaxQueueWaitMs(), () -> waitedTooLong(p));
    }
    s.queue.addLast(p);
    pump(s);
    return () -> clientGone(p);
  }

  /**
   * Nobody waits for {@code p} any more: dropped if queued; if dispatched, the worker is told
   * (it gives the request back unstarted, or the model sees {@code cancelled()}), and the
   * request keeps its worker's slot until the worker replies.
   */
  private void clientGone(PendingRequest p) {
    if (p.answered()) {
      return;
    }
    ServiceState s = services.get(p.service);
    s.abandoned++;
    metrics.abandoned(p.service, clock.getAsLong() - p.arrivedNanos);
    s.queue.remove(p);
    if (p.worker != null) {
      transport.cancel(p.worker.id, p.id);
    }
    finish(p, Errors.json(499, "the client has gone", p.service, null));
  }

  void onHeartbeat(JsonObject hb) {
    String id = hb.getString("id");
    String service = hb.getString("service");
    if (id == null || service == null) {
      return;
    }
    WorkerState w = workers.get(id);
    if (w == null && !notListening.isEmpty()) {
      Long quietUntil = notListening.get(id);
      if (quietUntil != null && clock.getAsLong() - quietUntil < 0) {
        return;
      }
      notListening.remove(id);
    }
    if (w == null) {
      w = new WorkerState(id, service, hb.getString("address"));
      workers.put(id, w);
      services.computeIfAbsent(service, this::newService).workers.put(id, w);
      log.info("worker {} of '{}' on device {} at {} joined", id, service, hb.getString("device"), hb.getString("host"));
      List<Long> before = dropped.recall(id);
      if (!before.isEmpty()) {
        // back after a drop: what it still holds of ours was retried elsewhere, so it must not
        // start it now (what already runs, runs: its late answer is ignored)
        log.info("worker {} is back; asking it to give back {} request(s) retried elsewhere", id, before.size());
        for (long dispatchId : before) {
          transport.withdraw(id, dispatchId);
        }
      }
    }
    w.lastHeartbeat = hb;
    // until its replies say otherwise, it is as busy as it says: a worker that comes back after
    // a drop may have its device full of work that this controller no longer counts
    w.reportHeld(hb.getInteger("held", -1));
    reportStuck(w, hb.getInteger("stuck", -1));
    w.lastSeenNanos = clock.getAsLong();
    // a batching worker runs whole batches and holds the next one ahead, so that a batch is
    // ready the moment the device frees
    w.maxBatchSize = Math.max(1, hb.getInteger("maxBatchSize", 1));
    w.capacity = Math.max(1, hb.getInteger("concurrency", 1)) * w.maxBatchSize;
    w.ahead = AHEAD * w.maxBatchSize;
    boolean draining = hb.getBoolean("draining", false);
    if (draining && !w.draining) {
      log.info("worker {} of '{}' is draining", id, service);
    }
    w.draining = draining;
    ServiceState s = services.get(service);
    pump(s);
    // a worker that joins, or comes back, idle takes over what waits ahead on busy ones
    withdrawFor(s, w);
  }

  void onDrain(String id) {
    WorkerState w = workers.get(id);
    if (w != null && !w.draining) {
      w.draining = true;
      log.info("worker {} of '{}' is draining", id, w.service);
    }
  }

  void onLeft(String id) {
    WorkerState w = workers.get(id);
    if (w != null) {
      drop(w, "left");
    }
  }

  /**
   * Answers every queued request {@code status} with Retry-After (the controller is stopping and
   * its time to drain is up): the client may retry on another controller. Returns how many.
   */
  int refuseQueued(int status, String why) {
    int n = 0;
    for (ServiceState s : services.values()) {
      while (!s.queue.isEmpty()) {
        PendingRequest p = s.queue.pollFirst();
        if (finish(p, Errors.json(status, why, s.name, null).withHeader("Retry-After", "1"))) {
          n++;
        }
      }
    }
    return n;
  }

  private ServiceState newService(String name) {
    ServiceState s = new ServiceState(name);
    metrics.service(name, s.queue::size, s::inFlight, s::liveWorkers);
    return s;
  }

  /** Drops workers whose heartbeats stopped; called periodically. */
  void dropSilentWorkers() {
    long limit = TimeUnit.MILLISECONDS.toNanos(options.getWorkerTimeoutMs());
    long now = clock.getAsLong();
    dropped.forgetBefore(now);
    if (!notListening.isEmpty()) {
      notListening.values().removeIf(until -> now - until >= 0);
    }
    for (WorkerState w : new ArrayList<>(workers.values())) {
      if (now - w.lastSeenNanos > limit) {
        drop(w, "silent for " + TimeUnit.NANOSECONDS.toMillis(now - w.lastSeenNanos) + " ms");
      }
    }
  }

  /**
   * A worker's reply to dispatch {@code dispatchId}: an answer, or the request given back.
   * {@code held} is what the worker's device holds now, for every controller (-1: not said).
   */
  void onReply(String workerId, long dispatchId, Buffer body, int held) {
    onReply(workerId, dispatchId, body, held, -1);
  }

  /** As {@link #onReply(String, long, Buffer, int)}, with the inferences stuck on the worker. */
  void onReply(String workerId, long dispatchId, Buffer body, int held, int stuck) {
    if (!lastGone.isEmpty()) {
      // it replied: its address has a handler again
      lastGone.remove(workerId);
    }
    if (WireFormat.isReturned(body)) {
      WorkerState w = workers.get(workerId);
      PendingRequest p = settle(w, dispatchId, held, stuck);
      if (p == null) {
        return;
      }
      ServiceState s = services.get(w.service);
      p.worker = null;
      // withdrawn unstarted: not an attempt, and first in line again
      p.attempts--;
      if (!p.answered()) {
        s.queue.addFirst(p);
      }
      pump(s);
      withdrawFor(s, w);
      return;
    }
    ApiResponse response;
    try {
      response = WireFormat.decodeResponse(body);
    } catch (RuntimeException e) {
      // a worker of another version, or a corrupt message: the client should not wait for the timeout
      WorkerState w = workers.get(workerId);
      log.warn("worker {} sent an answer that does not decode: {}", workerId, e.toString());
      response = Errors.json(502, "worker " + workerId + " sent an answer that does not decode: " + e.getMessage(),
          w == null ? null : w.service, null);
    }
    onAnswer(workerId, dispatchId, response, held, stuck);
  }

  /**
   * Takes dispatch {@code dispatchId} off worker {@code w} (null: dropped) as it replied, and
   * notes what the reply says the worker holds. {@code null} when no client waits for it any
   * more: the worker was dropped and the request re-routed, or it was answered already.
   */
  private PendingRequest settle(WorkerState w, long dispatchId, int held, int stuck) {
    PendingRequest p = w == null ? null : w.pending.remove(dispatchId);
    if (w != null) {
      w.reportHeld(held);
      reportStuck(w, stuck);
      if (p == null) {
        pump(services.get(w.service));
      }
    }
    return p;
  }

  /**
   * A worker's answer to dispatch {@code dispatchId}, decoded: a whole one, or the head of a
   * streamed one. Returns whether a client takes it ({@code false}: the dispatch was retried
   * elsewhere, or its client has gone). A streamed answer counts as answered here; the worker
   * still reports its device busy ({@code held}) until the stream ends, so its slot stays taken
   * ({@link WorkerState#heldElsewhere}).
   */
  boolean onAnswer(String workerId, long dispatchId, ApiResponse response, int held, int stuck) {
    WorkerState w = workers.get(workerId);
    PendingRequest p = settle(w, dispatchId, held, stuck);
    if (p == null) {
      return false;
    }
    ServiceState s = services.get(w.service);
    p.worker = null;
    w.observe(clock.getAsLong() - p.dispatchedNanos);
    if (response.status() >= 500) {
      w.failed++;
      s.failed++;
    } else {
      w.served++;
      s.served++;
    }
    boolean taken = finish(p, response.withHeader("X-Model-Serve-Worker", w.id));
    pump(s);
    withdrawFor(s, w);
    return taken;
  }

  /** Dispatch {@code dispatchId} failed without a reply from the worker. */
  void onFailure(String workerId, long dispatchId, Failure failure, String message) {
    WorkerState w = workers.get(workerId);
    PendingRequest p = w == null ? null : w.pending.get(dispatchId);
    if (p == null) {
      return;
    }
    ServiceState s = services.get(w.service);
    switch (failure) {
      case GONE -> {
        // no handler took the message: the request never ran, so it is first in line again and
        // keeps its retry. The worker is gone (killed), or its registration is not here yet
        // (it has just merged back from a split): its heartbeats wait out a quiet time either way
        w.pending.remove(dispatchId);
        p.worker = null;
        p.attempts--;
        if (!p.answered()) {
          // behind what the drop puts back; with no worker left, answered with the rest
          s.queue.addFirst(p);
        }
        drop(w, "no longer listening");
        notListening.put(w.id, clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(REJOIN_AFTER_GONE_MS));
        lastGone.put(w.id, clock.getAsLong());
      }
      case TIMEOUT -> {
        w.pending.remove(dispatchId);
        w.failed++;
        s.failed++;
        finish(p, Errors.json(504, "worker " + w.id + " did not answer in time", s.name, null));
      }
      case OTHER -> {
        w.pending.remove(dispatchId);
        w.failed++;
        s.failed++;
        finish(p, Errors.json(502, "worker " + w.id + " failed: " + message, s.name, null));
      }
    }
    pump(s);
    withdrawFor(s, w);
  }

  /**
   * A worker whose device runs an inference past its time limit (a model deaf to interrupts)
   * is out of routing until it ends: what waits ahead on it is taken back for other workers.
   */
  private void reportStuck(WorkerState w, int stuck) {
    if (stuck < 0 || (stuck > 0) == w.stuck) {
      return;
    }
    w.stuck = stuck > 0;
    if (w.stuck) {
      log.warn("worker {} of '{}' is stuck: {} inference(s) still run past their time limit; no more work for it until they end",
          w.id, w.service, stuck);
      for (PendingRequest p : w.pending.values()) {
        if (!p.withdrawing && !p.answered()) {
          p.withdrawing = true;
          transport.withdraw(w.id, p.id);
        }
      }
    } else {
      log.info("worker {} of '{}' recovered: its device is free again", w.id, w.service);
    }
  }

  private void drop(WorkerState w, String why) {
    if (workers.remove(w.id) == null) {
      return;
    }
    ServiceState s = services.get(w.service);
    s.workers.remove(w.id);
    log.info("worker {} of '{}' removed: {}; {} request(s) were in flight", w.id, w.service, why, w.pending.size());
    List<PendingRequest> orphans = new ArrayList<>(w.pending.values());
    // remembered as long as a request may live: should the worker come back, it gives them back
    dropped.remember(w.id, w.pending.keySet(),
        clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(options.getRequestTimeoutMs() + options.getWorkerTimeoutMs()));
    w.pending.clear();
    // newest first, since each goes to the front of the queue: the oldest ends up first in line
    java.util.Collections.reverse(orphans);
    for (PendingRequest p : orphans) {
      p.worker = null;
      retryOrFail(s, p, "worker " + w.id + " died");
    }
    droppedListener.accept(w.id, why);
    if (s.liveWorkers() == 0) {
      // nobody will take what is queued: answer now instead of at the timeout
      while (!s.queue.isEmpty()) {
        finish(s.queue.pollFirst(), noLiveWorker(s.name));
      }
    }
    pump(s);
  }

  private void retryOrFail(ServiceState s, PendingRequest p, String why) {
    if (p.answered()) {
      return;
    }
    if (p.attempts >= 2 || s.liveWorkers() == 0) {
      s.failed++;
      finish(p, Errors.json(502, why + " with the request in flight, and no other worker is left to retry it", s.name, null));
    } else {
      s.queue.addFirst(p);
    }
  }

  private void pump(ServiceState s) {
    while (!s.queue.isEmpty()) {
      WorkerState w = s.pick();
      if (w == null) {
        return;
      }
      dispatch(s, w, s.queue.pollFirst());
    }
  }

  /**
   * {@code idle} has a free slot and nothing is queued: take back a request that waits ahead on
   * a busy worker, so that it runs now. The busy worker answers it as returned, unless it had
   * already started it.
   */
  JsonObject status() {
    JsonObject out = new JsonObject();
    for (ServiceState s : services.values()) {
      out.put(s.name, s.toJson());
    }
    return out;
  }

  private void withdrawFor(ServiceState s, WorkerState idle) {
    if (!s.queue.isEmpty() || !idle.hasRoom()) {
      return;
    }
    for (WorkerState w : s.workers.values()) {
      if (w != idle && w.outstanding() > w.capacity) {
        PendingRequest ahead = w.newest();
        if (ahead != null && !ahead.withdrawing) {
          ahead.withdrawing = true;
          transport.withdraw(w.id, ahead.id);
          return;
        }
      }
    }
  }

  private void dispatch(ServiceState s, WorkerState w, PendingRequest p) {
    long now = clock.getAsLong();
    long remainingMs = TimeUnit.NANOSECONDS.toMillis(p.deadlineNanos - now);
    if (remainingMs <= 0) {
      timeOut(p);
      return;
    }
    if (p.queueTimerId >= 0) {
      transport.cancelTimer(p.queueTimerId);
      p.queueTimerId = -1;
    }
    p.attempts++;
    if (!p.dispatchedBefore) {
      p.dispatchedBefore = true;
      metrics.dispatched(p.service, now - p.arrivedNanos, false);
    } else if (p.attempts > 1) {
      metrics.dispatched(p.service, now - p.arrivedNanos, true);
    }
    p.worker = w;
    p.id = nextId++;
    p.withdrawing = false;
    p.dispatchedNanos = now;
    w.pending.put(p.id, p);
    transport.send(w.id, w.address, p.id, p.request, remainingMs);
  }

  /**
   * {@code p} has waited {@code --max-queue-wait-ms} in the queue: under overload its client has
   * likely given up by the time a worker would answer, so answer now and let it come back.
   */
  private void waitedTooLong(PendingRequest p) {
    p.queueTimerId = -1;
    ServiceState s = services.get(p.service);
    if (p.answered() || !s.queue.remove(p)) {
      return;
    }
    s.rejected++;
    metrics.rejected(p.service, "queue_wait");
    finish(p, Errors.json(503, "service '" + p.service + "' is over capacity: the request waited "
        + options.getMaxQueueWaitMs() + " ms in the queue", p.service, null).withHeader("Retry-After", "1"));
  }

  private void timeOut(PendingRequest p) {
    if (p.answered()) {
      return;
    }
    ServiceState s = services.get(p.service);
    boolean queued = s.queue.remove(p);
    s.failed++;
    // a dispatched request keeps its worker's slot until the worker answers: the device is busy
    finish(p, Errors.json(504, "no answer within " + options.getRequestTimeoutMs() + " ms"
        + (queued ? " (still queued: every worker was busy)" : ""), p.service, null));
  }

  private boolean finish(PendingRequest p, ApiResponse response) {
    if (p.timerId >= 0) {
      transport.cancelTimer(p.timerId);
      p.timerId = -1;
    }
    if (p.queueTimerId >= 0) {
      transport.cancelTimer(p.queueTimerId);
      p.queueTimerId = -1;
    }
    return p.answer(response);
  }

  private static ApiResponse noLiveWorker(String service) {
    return Errors.json(503, "no live worker serves '" + service + "'", service, null).withHeader("Retry-After", "1");
  }

}
