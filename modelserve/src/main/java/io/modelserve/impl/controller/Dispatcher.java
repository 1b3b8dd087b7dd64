package io.modelserve.impl.controller;

import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.impl.Addresses;
import io.modelserve.impl.wire.WireFormat;
import io.modelserve.options.ControllerOptions;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Context;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Supplier;

/**
 * Routes requests to workers over the event bus. The decisions (queues, worker registry,
 * retries, withdrawals, deadlines) are {@link DispatchPolicy}'s; this class only carries its
 * messages and timers on Vert.x.
 *
 * <p>Its decisions run on one event loop, the one it was made on (the controller verticle's):
 * {@link #knows} and {@link #unknown} may be called from any thread; everything else on that
 * loop, where {@link #run} and {@link #call} take it from the controller's other HTTP loops.
 */
public final class Dispatcher {

  /** Extra time given to the event-bus reply beyond the request's own deadline. */
  private static final long REPLY_GRACE_MS = 5_000;

  private final DispatchPolicy policy;
  private final StreamRelay streams;
  private final long firstChunkTimeoutMs;
  /** Names this controller's dispatches on the workers, which other controllers share. */
  private final String id = UUID.randomUUID().toString().substring(0, 8);

  private final DispatchMetrics metrics;
  /** The event loop every decision runs on. */
  private final Context home;
  /** Every service any worker ever served here, readable from any thread. */
  private final Set<String> known = new ConcurrentSkipListSet<>();

  public Dispatcher(Vertx vertx, ControllerOptions options) {
    this(vertx, options, DispatchMetrics.NONE);
  }

  public Dispatcher(Vertx vertx, ControllerOptions options, DispatchMetrics metrics) {
    this.home = vertx.getOrCreateContext();
    EventBusTransport transport = new EventBusTransport(vertx);
    this.metrics = metrics;
    this.policy = new DispatchPolicy(options, System::nanoTime, transport, metrics);
    this.firstChunkTimeoutMs = options.getStreamFirstChunkTimeoutMs();
    this.streams = new StreamRelay(transport, options.getStreamChunkTimeoutMs(), policy::onStreamStarted);
    policy.onDropped(streams::workerDropped);
    // once, when the controller starts: a clustered registration goes through Hazelcast
    vertx.eventBus().<Buffer>consumer(Addresses.stream(id), streams::onMessage);
  }

  /** This controller's id: with a counter, it names each dispatch on the shared workers. */
  public String id() {
    return id;
  }

  /** Whether any worker ever served {@code service} here. Any thread. */
  public boolean knows(String service) {
    return known.contains(service);
  }

  /** The 404 answer for a name that is no service, listing the services that exist. Any thread. */
  public ApiResponse unknown(String name) {
    return DispatchPolicy.unknown(name, known);
  }

  /** Whether the caller runs on the dispatcher's event loop. */
  public boolean onItsThread() {
    return Vertx.currentContext() == home;
  }

  /** Runs {@code action} on the dispatcher's event loop: at once when already there. */
  public void run(Runnable action) {
    if (onItsThread()) {
      action.run();
    } else {
      home.runOnContext(v -> action.run());
    }
  }

  /**
   * Computes {@code work} on the dispatcher's event loop and hands the result to {@code then} on
   * the caller's (on the dispatcher's when the caller is no Vert.x thread): both at once when the
   * caller is the dispatcher's loop.
   */
  public <T> void call(Supplier<T> work, Handler<T> then) {
    Context caller = Vertx.currentContext();
    if (caller == home) {
      then.handle(work.get());
      return;
    }
    home.runOnContext(v -> {
      T result = work.get();
      if (caller == null) {
        then.handle(result);
      } else {
        caller.runOnContext(x -> then.handle(result));
      }
    });
  }

  /**
   * {@code null} when a request for {@code service} may be queued now, else the answer
   * {@link #submit} would give: 404 unknown service, 503 no live worker or queue full.
   */
  public ApiResponse admit(String service) {
    return policy.admit(service);
  }

  /**
   * Queues {@code request} for a worker of {@code service}; {@code answer} gets the worker's
   * answer or an error (404, 503, 502, 504), exactly once. Run what it returns when the client
   * has gone: a queued request is dropped, a running one is told (see {@link ApiRequest#cancelled()}).
   */
  public Runnable submit(String service, ApiRequest request, Handler<ApiResponse> answer) {
    return policy.submit(service, request, answer);
  }

  /** A worker's heartbeat: registers it, or refreshes what is known of it. */
  public void onHeartbeat(JsonObject hb) {
    policy.onHeartbeat(hb);
    String service = hb.getString("service");
    if (service != null && policy.knows(service)) {
      known.add(service);
    }
  }

  /** A worker asks to get no more work: it finishes what it has, then leaves. */
  public void onDrain(String id) {
    policy.onDrain(id);
  }

  /** A worker has left the cluster on purpose. */
  public void onLeft(String id) {
    policy.onLeft(id);
  }

  /** Answers every queued request 503 with Retry-After and {@code why}; returns how many. */
  public int refuseQueued(String why) {
    return policy.refuseQueued(503, why);
  }

  /** Workers whose address had no handler within the last {@code withinMs}; on the dispatcher's thread. */
  public java.util.List<String> notListening(long withinMs) {
    return policy.notListening(withinMs);
  }

  /** Drops workers whose heartbeats stopped; called periodically. */
  public void dropSilentWorkers() {
    policy.dropSilentWorkers();
  }

  /** Services, their queues and workers, as shown at {@code /_/status}. */
  public JsonObject status() {
    return policy.status();
  }

  private static int count(String header) {
    try {
      return header == null ? -1 : Integer.parseInt(header);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Records the inference time a worker's reply states, in microseconds. */
  private void inference(String workerId, String micros) {
    String service = micros == null ? null : policy.serviceOf(workerId);
    if (service != null) {
      try {
        metrics.inference(service, Long.parseLong(micros) * 1_000);
      } catch (NumberFormatException e) {
        // a worker of another version: no figure
      }
    }
  }

  private final class EventBusTransport implements Transport {
    private final Vertx vertx;

    EventBusTransport(Vertx vertx) {
      this.vertx = vertx;
    }

    @Override
    public void send(String workerId, String address, long dispatchId, ApiRequest request, long timeoutMs) {
      Buffer body = WireFormat.encodeRequest(request, id, dispatchId, timeoutMs);
      // a stream's first chunk may come up to the first-chunk timeout after the model returned it
      DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(timeoutMs + firstChunkTimeoutMs + REPLY_GRACE_MS);
      vertx.eventBus().<Buffer>request(address, body, delivery).onComplete(ar -> {
        if (ar.succeeded() && WireFormat.isStreamHead(ar.result().body())) {
          onStreamHead(workerId, dispatchId, ar.result());
        } else if (ar.succeeded()) {
          var headers = ar.result().headers();
          inference(workerId, headers.get(WireFormat.INFERENCE_HEADER));
          policy.onReply(workerId, dispatchId, ar.result().body(),
              count(headers.get(WireFormat.HELD_HEADER)), count(headers.get(WireFormat.STUCK_HEADER)));
        } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
          policy.onFailure(workerId, dispatchId, DispatchPolicy.Failure.GONE, re.getMessage());
        } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
          policy.onFailure(workerId, dispatchId, DispatchPolicy.Failure.TIMEOUT, re.getMessage());
        } else {
          policy.onFailure(workerId, dispatchId, DispatchPolicy.Failure.OTHER, ar.cause().getMessage());
        }
      });
    }

    private void onStreamHead(String workerId, long dispatchId, io.vertx.core.eventbus.Message<Buffer> reply) {
      var headers = reply.headers();
      String service = policy.serviceOf(workerId);
      if (service != null) {
        metrics.streamStarted(service);
      }
      int held = count(headers.get(WireFormat.HELD_HEADER));
      int stuck = count(headers.get(WireFormat.STUCK_HEADER));
      ApiResponse streamed;
      try {
        streamed = streams.open(policy.serviceOf(workerId), workerId, dispatchId, reply);
      } catch (RuntimeException e) {
        policy.onFailure(workerId, dispatchId, DispatchPolicy.Failure.OTHER, "a stream head that does not decode: " + e);
        return;
      }
      if (!policy.onAnswer(workerId, dispatchId, streamed, held, stuck)) {
        streams.refuse(dispatchId, reply);
      }
    }

    @Override
    public void withdraw(String workerId, long dispatchId) {
      vertx.eventBus().send(Addresses.withdraw(workerId), new JsonObject().put("controller", id).put("id", dispatchId));
    }

    @Override
    public void cancel(String workerId, long dispatchId) {
      vertx.eventBus().send(Addresses.withdraw(workerId),
          new JsonObject().put("controller", id).put("id", dispatchId).put("cancel", true));
    }

    @Override
    public long setTimer(long delayMs, Runnable action) {
      return vertx.setTimer(Math.max(1, delayMs), id -> action.run());
    }

    @Override
    public void cancelTimer(long timerId) {
      vertx.cancelTimer(timerId);
    }

    @Override
    public void onDispatcherThread(Runnable action) {
      run(action);
    }
  }
}
