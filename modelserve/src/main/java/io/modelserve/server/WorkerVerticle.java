package io.modelserve.server;

import io.modelserve.options.WorkerOptions;
import io.modelserve.Api;
import io.modelserve.BatchModel;
import io.modelserve.ApiRequest;
import io.modelserve.Model;
import io.modelserve.impl.Addresses;
import io.modelserve.impl.ApiScanner;
import io.modelserve.impl.Errors;
import io.modelserve.impl.EventLoopWarmUp;
import io.modelserve.impl.cluster.ClusterNode;
import io.modelserve.impl.cluster.ControllerLink;
import io.modelserve.impl.cluster.JoinList;
import io.modelserve.impl.http.BodyLimits;
import io.modelserve.impl.http.ConnectionTimeouts;
import io.modelserve.impl.http.HttpRequestReader;
import io.modelserve.impl.http.HttpResponses;
import io.modelserve.impl.http.RequestChecks;
import io.modelserve.impl.metrics.JvmMetrics;
import io.modelserve.impl.metrics.WorkerMetrics;
import io.modelserve.impl.wire.WireFormat;
import io.modelserve.impl.security.Access;
import io.modelserve.impl.security.KeyRing;
import io.modelserve.impl.worker.DeviceRunner;
import io.modelserve.impl.worker.StreamHandler;
import io.modelserve.impl.worker.StreamSession;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@code @Api} service on one device. It initialises the model first and only then
 * listens on its own event-bus address and the service's public one, and starts heartbeats
 * that register it with every controller. Stopping it (undeploy, {@code vertx.close()}, SIGTERM
 * through the command line) drains it: the controllers stop routing to it, work in flight
 * finishes, and only then does it stop listening.
 *
 * <p>Its HTTP port serves {@code /_/health} and direct calls to {@code /<name>} that bypass the
 * controller, handy to test one worker alone.
 */
public class WorkerVerticle extends AbstractVerticle {

  private static final Logger log = LoggerFactory.getLogger(WorkerVerticle.class);

  private Class<? extends Model> modelClass;
  private WorkerOptions options;
  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final List<MessageConsumer<Buffer>> consumers = new ArrayList<>();
  /** Requests from controllers not answered yet, by controller and dispatch id. */
  private final Map<String, Dispatch> queued = new HashMap<>();

  /** One request from a controller, with the flag its {@code cancelled()} reads. */
  private record Dispatch(DeviceRunner.Inference job, AtomicBoolean cancelled) {}
  private MessageConsumer<JsonObject> withdrawals;
  private DeviceRunner runner;
  private HttpServer http;
  /** Keys a direct call to this worker's port needs; none unless configured. */
  private KeyRing apiKeys;
  private int concurrency;
  /** Requests per model call: more than 1 only for a {@code BatchModel}. */
  private int batchSize = 1;
  private int accepted;
  /** The most the device ever held at once (shown at {@code /_/health}): bounded, whatever the controllers do. */
  private int maxHeld;
  private long heartbeatTimer = -1;
  private List<ControllerLink> links = List.of();
  /** This node's Hazelcast cluster, null on another cluster manager. */
  private JoinList joins;
  private volatile String state = "starting";
  private JvmMetrics jvm;
  private WorkerMetrics metrics;

  /** For the Vert.x launcher: the service is found by the {@code name} in the config. */
  public WorkerVerticle() {}

  public WorkerVerticle(Class<? extends Model> modelClass, WorkerOptions options) {
    this.modelClass = modelClass;
    this.options = new WorkerOptions(options);
  }

  /** This worker's id, unique in the cluster. */
  public String id() {
    return id;
  }

  /** The port the worker's HTTP endpoint listens on. */
  public int httpPort() {
    return http == null ? -1 : http.actualPort();
  }

  @Override
  public void start(Promise<Void> started) {
    if (options == null) {
      options = new WorkerOptions(config());
    }
    // scanning the class path and first-use work take seconds on a loaded machine: off the event loop
    vertx.<Class<? extends Model>>executeBlocking(() -> {
      EventLoopWarmUp.run();
      apiKeys = KeyRing.load("API keys", options.getApiKeyFile(), "MODELSERVE_API_KEYS").watch(vertx);
      return modelClass != null ? modelClass : ApiScanner.find(options.getName(), ApiScanner.scanClasspath());
    }).onSuccess(type -> {
      modelClass = type;
      serve(started);
    }).onFailure(started::fail);
  }

  private void serve(Promise<Void> started) {
    String name = modelClass.getAnnotation(Api.class).name();
    Api api = modelClass.getAnnotation(Api.class);
    concurrency = options.getConcurrency() > 0 ? options.getConcurrency() : api.concurrency();
    batchSize = options.getMaxBatchSize() > 0 ? options.getMaxBatchSize() : api.maxBatchSize();
    long batchDelayMs = options.getMaxBatchDelayMs() >= 0 ? options.getMaxBatchDelayMs() : api.maxBatchDelayMs();
    if (batchSize < 1 || batchDelayMs < 0) {
      started.fail(new IllegalArgumentException("'" + name + "': the batch size must be at least 1 and the batch delay "
          + "not negative (" + batchSize + ", " + batchDelayMs + " ms)"));
      return;
    }
    if (batchSize > 1 && !BatchModel.class.isAssignableFrom(modelClass)) {
      started.fail(new IllegalArgumentException("'" + name + "' runs batches of " + batchSize + ", but "
          + modelClass.getName() + " does not implement BatchModel: only a BatchModel takes several requests at once"));
      return;
    }
    runner = new DeviceRunner(vertx, name, options.getDevice(), Math.max(1, concurrency), batchSize, batchDelayMs);
    jvm = new JvmMetrics();
    metrics = new WorkerMetrics(jvm.registry(), name, options.getDevice(), runner);
    startHttp(name)
        .compose(v -> runner.init(modelClass, options.getDevice(), io.modelserve.Settings.of(options.getSettings())))
        .compose(v -> listen(name))
        .onSuccess(v -> {
          state = "serving";
          joins = JoinList.of(vertx);
          heartbeatTimer = vertx.setPeriodic(options.getHeartbeatMs(), t -> heartbeat(name));
          heartbeat(name);
          links = ControllerLink.start(vertx, options.getControllerUrl(), ids -> {
            if (ids.contains(id)) {
              registerAgain(name);
            }
          });
          log.info("worker {} serves '{}' on device {} (concurrency {}, batches of up to {}, http port {})",
              id, name, options.getDevice(), concurrency, batchSize, httpPort());
          started.complete();
        })
        .onFailure(e -> {
          log.error("worker for '{}' failed to start: {}", name, e.toString());
          runner.close().onComplete(v -> started.fail(e));
        });
  }

  private Future<Void> startHttp(String name) {
    http = vertx.createHttpServer(new HttpServerOptions().setHandle100ContinueAutomatically(false)
        // HTTP/1.1 only: h2c detection would hide a silent connection until its first bytes
        .setHttp2ClearTextEnabled(false)
        // a gzip or deflate request body reaches the model decoded (other encodings: 415)
        .setDecompressionSupported(true));
    http.invalidRequestHandler(RequestChecks::invalid);
    http.requestHandler(ConnectionTimeouts.install(vertx, http, options.getHeaderTimeoutMs(),
        options.getIdleTimeoutMs(), req -> onHttp(req, name)));
    return http.listen(options.getPort(), options.getHost()).mapEmpty();
  }

  private void onHttp(HttpServerRequest req, String name) {
    var problem = RequestChecks.problem(req);
    if (problem != null) {
      RequestChecks.refuse(req, problem);
      return;
    }
    String path = req.path();
    if (path.equals("/_/health")) {
      req.response().putHeader("content-type", "application/json").end(new JsonObject()
          .put("status", state).put("id", id).put("service", name)
          .put("device", options.getDevice()).put("running", runner.running()).put("stuck", runner.stuck())
          .put("maxHeld", maxHeld)
          .put("maxBatchSize", batchSize).put("batches", runner.batches())
          .put("batchedRequests", runner.batchedRequests()).put("lastBatchSize", runner.lastBatchSize())
          .put("cluster", ClusterNode.describe(vertx)).toBuffer());
    } else if (path.equals("/_/metrics")) {
      // the worker has no admin keys: its API keys guard its metrics as they guard its service
      var denied = Access.check(req, apiKeys.current(), "an API key");
      if (denied != null) {
        RequestChecks.refuse(req, denied);
        return;
      }
      req.response().putHeader("content-type", HttpResponses.PROMETHEUS_TEXT).end(metrics.scrape());
    } else if (path.equals("/" + name) || path.startsWith("/" + name + "/")) {
      var denied = Access.check(req, apiKeys.current(), "an API key");
      if (denied != null) {
        RequestChecks.refuse(req, denied);
        return;
      }
      if (!"serving".equals(state)) {
        RequestChecks.refuse(req, Errors.json(503, "worker is " + state, name, null).withHeader("Retry-After", "1"));
        return;
      }
      var tooLarge = HttpRequestReader.checkLength(req, options.getMaxBodyBytes());
      if (tooLarge != null) {
        RequestChecks.refuse(req, Errors.json(tooLarge.status(), tooLarge.getMessage(), name, null));
        return;
      }
      RequestChecks.acceptBody(req);
      HttpRequestReader.read(req, new BodyLimits(options.getMaxBodyBytes(), options.getMaxFields()),
              options.getIdleTimeoutMs())
          .compose(r -> start(r, options.getRequestTimeoutMs(), null).result())
          .onSuccess(r -> HttpResponses.write(req.response(), r))
          .onFailure(e -> RequestChecks.refuse(req, Errors.json(statusOf(e), e.getMessage(), name, null)));
    } else {
      RequestChecks.refuse(req, Errors.json(404, "this worker serves /" + name + ", /_/health and /_/metrics", name, null));
    }
  }

  private static int statusOf(Throwable e) {
    return e instanceof io.modelserve.ApiException a ? a.status() : 500;
  }

  private Future<Void> listen(String name) {
    List<Future<Void>> ready = new ArrayList<>();
    for (String address : List.of(Addresses.worker(id), Addresses.service(name))) {
      MessageConsumer<Buffer> c = vertx.eventBus().consumer(address, this::onMessage);
      consumers.add(c);
      ready.add(c.completion());
    }
    withdrawals = vertx.eventBus().consumer(Addresses.withdraw(id), this::onWithdraw);
    ready.add(withdrawals.completion());
    return Future.all(ready).mapEmpty();
  }

  /**
   * A controller found no handler at this worker's address although the worker is a member:
   * its registration was lost (when the worker merged back from a split, the cleanup of the
   * member it was before the merge raced its republishing). Registers its consumers afresh:
   * the last one off an address takes it out of the cluster's map, the first one on puts it in.
   */
  private void registerAgain(String name) {
    long now = System.nanoTime();
    if (!"serving".equals(state) || reregistering || now - lastReregisterNanos < REREGISTER_EVERY_NANOS) {
      return;
    }
    reregistering = true;
    lastReregisterNanos = now;
    log.info("worker {}: a controller finds no handler at its address; registering again", id);
    List<MessageConsumer<?>> old = new ArrayList<>(consumers);
    old.add(withdrawals);
    consumers.clear();
    Future.all(old.stream().map(MessageConsumer::unregister).toList())
        .compose(v -> listen(name))
        .onComplete(ar -> reregistering = false);
  }

  private static final long REREGISTER_EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(3);
  private boolean reregistering;
  private long lastReregisterNanos = System.nanoTime() - REREGISTER_EVERY_NANOS;

  private void onMessage(Message<Buffer> msg) {
    WireFormat.Envelope env;
    AtomicBoolean cancelled = new AtomicBoolean();
    try {
      env = WireFormat.decodeRequest(msg.body(), cancelled::get);
    } catch (RuntimeException e) {
      msg.fail(400, "undecodable request: " + e.getMessage());
      return;
    }
    if (env.id() != 0 && runner.occupied() >= (Math.max(1, concurrency) + WireFormat.HELD_AHEAD) * batchSize) {
      // the controllers together sent more than the device may hold (each sees the others' load
      // only through replies and heartbeats, or the device is wedged): give it back unstarted
      msg.reply(WireFormat.full(), held());
      return;
    }
    // a streamed answer replies with its first chunk; later chunks go to the controller's stream address
    StreamHandler streams = env.id() == 0 || env.origin().isEmpty() ? null
        : new StreamSession(vertx, context, msg, modelClass.getAnnotation(Api.class).name(), env.origin(), id, env.id(), options.getStreamWindow(),
            options.getStreamAckTimeoutMs(), cancelled::get, this::held);
    DeviceRunner.Inference job = start(env.request(), env.timeoutMs(), streams);
    maxHeld = Math.max(maxHeld, runner.occupied());
    String key = dispatchKey(env.origin(), env.id());
    if (env.id() != 0) {
      queued.put(key, new Dispatch(job, cancelled));
    }
    job.result().onSuccess(r -> {
      queued.remove(key);
      if (r != null && r.isStream()) {
        return;
      }
      DeliveryOptions headers = held();
      if (r != null) {
        headers.addHeader(WireFormat.INFERENCE_HEADER, Long.toString(job.ranNanos() / 1_000));
      }
      msg.reply(r == null ? WireFormat.returned() : WireFormat.encodeResponse(r), headers);
    });
  }

  /**
   * The controller asks for a request back that waits here unstarted (another worker is idle),
   * or, with {@code cancel}, says its client has gone: unstarted, it is given back; running, the
   * model sees {@code request.cancelled()}.
   */
  private void onWithdraw(Message<JsonObject> msg) {
    Dispatch d = queued.get(dispatchKey(msg.body().getString("controller", ""), msg.body().getLong("id", 0L)));
    if (d != null && !d.job().withdraw() && msg.body().getBoolean("cancel", false)) {
      d.cancelled().set(true);
    }
  }

  private static String dispatchKey(String controller, long id) {
    return controller + "/" + id;
  }

  private DeviceRunner.Inference start(ApiRequest request, long timeoutMs, StreamHandler streams) {
    accepted++;
    long arrived = System.nanoTime();
    DeviceRunner.Inference job = runner.infer(request, timeoutMs, streams);
    job.result().onComplete(ar -> {
      accepted--;
      if (ar.result() == null) {
        return;
      }
      metrics.answered(ar.result().status(), System.nanoTime() - arrived);
      if (ar.result().status() < 500) {
        served.incrementAndGet();
      } else {
        failed.incrementAndGet();
      }
    });
    return job;
  }

  private void heartbeat(String name) {
    vertx.eventBus().publish(Addresses.HEARTBEAT, new JsonObject()
        .put("id", id)
        .put("service", name)
        .put("device", options.getDevice())
        .put("address", Addresses.worker(id))
        .put("host", options.getAdvertisedHost())
        .put("httpPort", httpPort())
        .put("pid", ProcessHandle.current().pid())
        .put("concurrency", concurrency)
        .put("maxBatchSize", batchSize)
        .put("batches", runner.batches())
        .put("batchedRequests", runner.batchedRequests())
        .put("lastBatchSize", runner.lastBatchSize())
        .put("inFlight", accepted)
        .put("held", runner.occupied())
        .put("stuck", runner.stuck())
        .put("served", served.get())
        .put("failed", failed.get())
        .put("draining", "draining".equals(state))
        // the controller routes only to members of its own cluster (see ControllerVerticle)
        .put("member", joins == null ? null : joins.localUuid()));
  }

  /** Every reply says what the device holds now, for all controllers together. */
  private DeliveryOptions held() {
    return new DeliveryOptions().addHeader(WireFormat.HELD_HEADER, Integer.toString(runner.occupied()))
        .addHeader(WireFormat.STUCK_HEADER, Integer.toString(runner.stuck()));
  }

  @Override
  public void stop(Promise<Void> stopped) {
    if (!"serving".equals(state)) {
      closeQuietly().onComplete(v -> stopped.complete());
      return;
    }
    String name = modelClass.getAnnotation(Api.class).name();
    state = "draining";
    log.info("worker {} draining: {} request(s) in flight", id, accepted);
    heartbeat(name);
    long deadline = System.currentTimeMillis() + options.getDrainTimeoutMs();
    // the controllers' acknowledgement means nothing more is on its way from them
    vertx.eventBus().request(Addresses.DRAIN, new JsonObject().put("id", id), new DeliveryOptions().setSendTimeout(2_000))
        .recover(e -> Future.succeededFuture())
        .compose(v -> idle(deadline))
        .compose(v -> Future.all(consumers.stream().map(MessageConsumer::unregister).toList()))
        .compose(v -> idle(deadline))
        .onComplete(ar -> {
          vertx.cancelTimer(heartbeatTimer);
          vertx.eventBus().publish(Addresses.LEFT, new JsonObject().put("id", id));
          log.info("worker {} drained ({} served, {} failed); leaving", id, served.get(), failed.get());
          closeQuietly().onComplete(v -> stopped.complete());
        });
  }

  /** Completes when no request is in flight, or at the deadline. */
  private Future<Void> idle(long deadline) {
    Promise<Void> p = Promise.promise();
    vertx.setPeriodic(1, 10, t -> {
      if (accepted == 0 || System.currentTimeMillis() > deadline) {
        vertx.cancelTimer(t);
        p.complete();
      }
    });
    return p.future();
  }

  private Future<Void> closeQuietly() {
    links.forEach(ControllerLink::close);
    if (apiKeys != null) {
      apiKeys.close();
    }
    Future<Void> model = runner == null ? Future.succeededFuture() : runner.close();
    Future<Void> server = http == null ? Future.succeededFuture() : http.close().recover(e -> Future.succeededFuture());
    return Future.join(model, server).onComplete(ar -> {
      if (jvm != null) {
        jvm.close();
      }
    }).mapEmpty();
  }
}
