package io.modelserve.impl.controller;

import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.impl.Addresses;
import io.modelserve.impl.Errors;
import io.modelserve.impl.wire.WireFormat;
import io.modelserve.server.ControllerOptions;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests to workers. Each service has one queue at the controller; a request leaves it
 * for a worker with a free slot (outstanding below its concurrency), so fast and slow workers
 * each take work as soon as they free up.
 *
 * <p>When every worker is busy, each may also hold one request ahead, waiting on the worker, so
 * that its device starts the next inference the moment it finishes one instead of idling for
 * the round trip to the controller (on these machines a wake-up costs milliseconds). Should a
 * worker then fall idle while another still holds a request ahead, the controller withdraws
 * that request and gives it to the idle one: no request waits behind a busy worker while
 * another is idle for longer than that exchange.
 *
 * <p>Workers are known from their heartbeats; one that falls silent is dropped and its
 * in-flight requests go once to another worker.
 *
 * <p>Not thread-safe: every method runs on the controller verticle's event loop.
 */
public final class Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  /** Extra time given to the event-bus reply beyond the request's own deadline. */
  private static final long REPLY_GRACE_MS = 5_000;
  /** Requests a busy worker may hold beyond its concurrency. */
  private static final int AHEAD = 1;

  private final Vertx vertx;
  private final ControllerOptions options;
  private final Map<String, ServiceState> services = new TreeMap<>();
  private final Map<String, WorkerState> workers = new LinkedHashMap<>();
  private long nextId = 1;

  public Dispatcher(Vertx vertx, ControllerOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /** Whether any worker ever served {@code service} here. */
  public boolean knows(String service) {
    return services.containsKey(service);
  }

  /** The 404 answer for a name that is no service, listing the services that exist. */
  public ApiResponse unknown(String name) {
    return Errors.json(404, "no service named '" + name + "'", name,
        new JsonObject().put("services", new JsonArray(new ArrayList<>(services.keySet()))));
  }

  /**
   * Whether a request for {@code service} may be queued now: null if so, else the 404 or 503
   * (with Retry-After) that {@link #submit} would answer, so that the HTTP front can refuse a
   * request before reading its body.
   */
  public ApiResponse admit(String service) {
    ServiceState s = services.get(service);
    if (s == null) {
      return unknown(service);
    }
    if (liveWorkers(s) == 0) {
      return Errors.json(503, "no live worker serves '" + service + "'", service, null).withHeader("Retry-After", "1");
    }
    if (s.queue.size() >= options.getMaxQueue()) {
      s.rejected++;
      return Errors.json(503, "service '" + service + "' is over capacity: "
          + s.queue.size() + " requests queued", service, null).withHeader("Retry-After", "1");
    }
    return null;
  }

  /**
   * Queues {@code request} for a worker of {@code service}; {@code answer} gets the worker's
   * answer or an error (404, 503, 502, 504), exactly once.
   */
  public void submit(String service, ApiRequest request, Handler<ApiResponse> answer) {
    ServiceState s = services.get(service);
    if (s == null) {
      answer.handle(unknown(service));
      return;
    }
    if (liveWorkers(s) == 0) {
      answer.handle(Errors.json(503, "no live worker serves '" + service + "'", service, null)
          .withHeader("Retry-After", "1"));
      return;
    }
    if (s.queue.size() >= options.getMaxQueue()) {
      s.rejected++;
      answer.handle(Errors.json(503, "service '" + service + "' is over capacity: "
          + s.queue.size() + " requests queued", service, null).withHeader("Retry-After", "1"));
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.getRequestTimeoutMs());
    PendingRequest p = new PendingRequest(service, request, deadline, answer);
    p.timerId = vertx.setTimer(options.getRequestTimeoutMs(), id -> timeOut(p));
    s.queue.addLast(p);
    pump(s);
  }

  /** A worker's heartbeat: registers it, or refreshes what is known of it. */
  public void onHeartbeat(JsonObject hb) {
    String id = hb.getString("id");
    String service = hb.getString("service");
    if (id == null || service == null) {
      return;
    }
    WorkerState w = workers.get(id);
    if (w == null) {
      w = new WorkerState(id, service, hb.getString("address"));
      workers.put(id, w);
      services.computeIfAbsent(service, ServiceState::new).workers.put(id, w);
      log.info("worker {} of '{}' on device {} at {} joined", id, service, hb.getString("device"), hb.getString("host"));
    }
    w.lastHeartbeat = hb;
    w.lastSeenNanos = System.nanoTime();
    w.capacity = Math.max(1, hb.getInteger("concurrency", 1));
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

  /** A worker asks to get no more work: it finishes what it has, then leaves. */
  public void onDrain(String id) {
    WorkerState w = workers.get(id);
    if (w != null && !w.draining) {
      w.draining = true;
      log.info("worker {} of '{}' is draining", id, w.service);
    }
  }

  /** A worker has left the cluster on purpose. */
  public void onLeft(String id) {
    WorkerState w = workers.get(id);
    if (w != null) {
      drop(w, "left");
    }
  }

  /** Drops workers whose heartbeats stopped; called periodically. */
  public void dropSilentWorkers() {
    long limit = TimeUnit.MILLISECONDS.toNanos(options.getWorkerTimeoutMs());
    long now = System.nanoTime();
    for (WorkerState w : new ArrayList<>(workers.values())) {
      if (now - w.lastSeenNanos > limit) {
        drop(w, "silent for " + TimeUnit.NANOSECONDS.toMillis(now - w.lastSeenNanos) + " ms");
      }
    }
  }

  private void drop(WorkerState w, String why) {
    if (workers.remove(w.id) == null) {
      return;
    }
    ServiceState s = services.get(w.service);
    s.workers.remove(w.id);
    log.info("worker {} of '{}' removed: {}; {} request(s) were in flight", w.id, w.service, why, w.pending.size());
    List<PendingRequest> orphans = new ArrayList<>(w.pending);
    w.pending.clear();
    for (PendingRequest p : orphans) {
      p.worker = null;
      retryOrFail(s, p, "worker " + w.id + " died");
    }
    if (liveWorkers(s) == 0) {
      // nobody will take what is queued: answer now instead of at the timeout
      while (!s.queue.isEmpty()) {
        PendingRequest p = s.queue.pollFirst();
        finish(p, Errors.json(503, "no live worker serves '" + s.name + "'", s.name, null).withHeader("Retry-After", "1"));
      }
    }
    pump(s);
  }

  private void retryOrFail(ServiceState s, PendingRequest p, String why) {
    if (p.answered()) {
      return;
    }
    if (p.attempts >= 2 || liveWorkers(s) == 0) {
      s.failed++;
      finish(p, Errors.json(502, why + " with the request in flight, and no other worker is left to retry it", s.name, null));
    } else {
      s.queue.addFirst(p);
    }
  }

  private void pump(ServiceState s) {
    while (!s.queue.isEmpty()) {
      WorkerState w = pick(s);
      if (w == null) {
        return;
      }
      dispatch(s, w, s.queue.pollFirst());
    }
  }

  /**
   * The worker with the most free room, ties going round robin so equal workers share work;
   * when none has room, the one quickest to answer that may still take a request ahead.
   */
  private WorkerState pick(ServiceState s) {
    int n = s.workers.size();
    if (n == 0) {
      return null;
    }
    List<WorkerState> list = new ArrayList<>(s.workers.values());
    int start = s.nextStart++ % n;
    WorkerState best = null;
    for (int i = 0; i < n; i++) {
      WorkerState w = list.get((start + i) % n);
      if (w.hasRoom() && (best == null || free(w) > free(best))) {
        best = w;
      }
    }
    if (best != null) {
      return best;
    }
    for (int i = 0; i < n; i++) {
      WorkerState w = list.get((start + i) % n);
      if (w.canTakeAhead(AHEAD) && (best == null || w.meanNanos < best.meanNanos)) {
        best = w;
      }
    }
    return best;
  }

  /**
   * {@code idle} has a free slot and nothing is queued: take back a request that waits ahead on
   * a busy worker, so that it runs now. The busy worker answers it as returned, unless it had
   * already started it.
   */
  private void withdrawFor(ServiceState s, WorkerState idle) {
    if (!s.queue.isEmpty() || !idle.hasRoom()) {
      return;
    }
    for (WorkerState w : s.workers.values()) {
      if (w != idle && w.pending.size() > w.capacity) {
        PendingRequest ahead = null;
        for (PendingRequest p : w.pending) {
          ahead = p;
        }
        if (ahead != null && !ahead.withdrawing) {
          ahead.withdrawing = true;
          vertx.eventBus().send(Addresses.withdraw(w.id), new JsonObject().put("id", ahead.id));
          return;
        }
      }
    }
  }

  private static double free(WorkerState w) {
    return (w.capacity - w.outstanding()) / (double) w.capacity;
  }

  private void dispatch(ServiceState s, WorkerState w, PendingRequest p) {
    long remainingMs = TimeUnit.NANOSECONDS.toMillis(p.deadlineNanos - System.nanoTime());
    if (remainingMs <= 0) {
      timeOut(p);
      return;
    }
    p.attempts++;
    p.worker = w;
    p.id = nextId++;
    p.withdrawing = false;
    p.dispatchedNanos = System.nanoTime();
    w.pending.add(p);
    Buffer body = WireFormat.encodeRequest(p.request, p.id, remainingMs);
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(remainingMs + REPLY_GRACE_MS);
    vertx.eventBus().<Buffer>request(w.address, body, delivery).onComplete(ar -> onReply(s, w, p, ar));
  }

  private void onReply(ServiceState s, WorkerState w, PendingRequest p, AsyncResult<Message<Buffer>> ar) {
    if (!w.pending.remove(p)) {
      // the worker was dropped and the request re-routed; this late answer is not wanted
      return;
    }
    p.worker = null;
    if (ar.succeeded() && WireFormat.isReturned(ar.result().body())) {
      // withdrawn unstarted: not an attempt, and first in line again
      p.attempts--;
      s.queue.addFirst(p);
      pump(s);
      return;
    }
    if (ar.succeeded()) {
      w.observe(System.nanoTime() - p.dispatchedNanos);
      ApiResponse response = WireFormat.decodeResponse(ar.result().body());
      if (response.status() >= 500) {
        w.failed++;
        s.failed++;
      } else {
        w.served++;
        s.served++;
      }
      finish(p, response.withHeader("X-Model-Serve-Worker", w.id));
    } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      drop(w, "no longer listening");
      retryOrFail(s, p, "worker " + w.id + " left");
    } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
      w.failed++;
      s.failed++;
      finish(p, Errors.json(504, "worker " + w.id + " did not answer in time", s.name, null));
    } else {
      w.failed++;
      s.failed++;
      finish(p, Errors.json(502, "worker " + w.id + " failed: " + ar.cause().getMessage(), s.name, null));
    }
    pump(s);
    withdrawFor(s, w);
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

  private void finish(PendingRequest p, ApiResponse response) {
    if (p.timerId >= 0) {
      vertx.cancelTimer(p.timerId);
    }
    p.answer(response);
  }

  private static int liveWorkers(ServiceState s) {
    int n = 0;
    for (WorkerState w : s.workers.values()) {
      if (!w.draining) {
        n++;
      }
    }
    return n;
  }

  /** Services, their queues and workers, as shown at {@code /_/status}. */
  public JsonObject status() {
    JsonObject out = new JsonObject();
    for (ServiceState s : services.values()) {
      JsonArray ws = new JsonArray();
      s.workers.values().stream().sorted(Comparator.comparing(w -> w.id)).forEach(w -> ws.add(w.toJson()));
      out.put(s.name, new JsonObject()
          .put("workers", ws)
          .put("liveWorkers", liveWorkers(s))
          .put("queued", s.queue.size())
          .put("served", s.served)
          .put("failed", s.failed)
          .put("rejected", s.rejected));
    }
    return out;
  }

  /** Per-service queue and workers. */
  private static final class ServiceState {
    final String name;
    final ArrayDeque<PendingRequest> queue = new ArrayDeque<>();
    final Map<String, WorkerState> workers = new LinkedHashMap<>();
    int nextStart;
    long served;
    long failed;
    long rejected;

    ServiceState(String name) {
      this.name = name;
    }
  }
}
