package io.modelserve.server;

import io.modelserve.options.ControllerOptions;
import io.modelserve.ApiException;
import io.modelserve.ApiResponse;
import io.modelserve.impl.Addresses;
import io.modelserve.impl.Errors;
import io.modelserve.impl.EventLoopWarmUp;
import io.modelserve.impl.cluster.ClusterNode;
import io.modelserve.impl.cluster.ControllerLink;
import io.modelserve.impl.cluster.JoinList;
import io.modelserve.impl.controller.Dispatcher;
import io.modelserve.impl.controller.Readiness;
import io.modelserve.impl.http.BodyLimits;
import io.modelserve.impl.http.ConnectionTimeouts;
import io.modelserve.impl.http.Cors;
import io.modelserve.impl.http.HttpRequestReader;
import io.modelserve.impl.http.HttpResponses;
import io.modelserve.impl.http.RequestChecks;
import io.modelserve.impl.http.WebAssets;
import io.modelserve.impl.metrics.ControllerMetrics;
import io.modelserve.impl.metrics.JvmMetrics;
import io.modelserve.impl.security.Access;
import io.modelserve.impl.security.KeyRing;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front of the cluster. {@code /<name>} (any method, any sub-path) goes to a worker of
 * service {@code name}; {@code /} serves {@code index.html} and the other files of the webroot;
 * {@code /_/health}, {@code /_/ready}, {@code /_/status} and {@code /_/metrics} (Prometheus)
 * report on the controller and its workers.
 *
 * <p>It holds no state that a restart loses for good: workers announce themselves with every
 * heartbeat, so a new controller knows them all within one heartbeat period.
 */
public class ControllerVerticle extends AbstractVerticle {

  private static final Logger log = LoggerFactory.getLogger(ControllerVerticle.class);

  private ControllerOptions options;
  /** Largest cluster hint accepted at {@code POST /_/cluster}. */
  private static final int MAX_HINT_BYTES = 65_536;

  private Dispatcher dispatcher;
  private JoinList joins;
  /** This verticle's own server (on the dispatcher's loop); the other HTTP loops have theirs. */
  private HttpServer server;
  private volatile int actualPort = -1;
  /** Keys the services need; none unless configured. */
  private KeyRing apiKeys;
  /** Keys {@code /_/status} needs: the admin keys, else the API keys. */
  private KeyRing adminKeys;
  /** Set once stop has begun: no new requests. */
  private volatile boolean stopping;
  private final AtomicBoolean stopBegun = new AtomicBoolean();
  /** On the dispatcher's loop: answers what is still queued when the drain timeout is up. */
  private volatile long refuseTimer = -1;
  private volatile long listeningSinceNanos;
  private JvmMetrics jvm;
  private ControllerMetrics metrics;
  /** The dashboard page served at {@code /_/}. */
  private Buffer dashboardPage;

  /** For the Vert.x launcher: options come from the deployment config. */
  public ControllerVerticle() {}

  public ControllerVerticle(ControllerOptions options) {
    this.options = new ControllerOptions(options);
  }

  /** The port the HTTP server listens on. */
  public int port() {
    return actualPort;
  }

  @Override
  public void start(Promise<Void> started) {
    if (options == null) {
      options = new ControllerOptions(config());
    }
    // first-use work that takes seconds on a loaded machine: off the event loop
    vertx.executeBlocking(() -> {
      EventLoopWarmUp.run();
      try (var page = ControllerVerticle.class.getResourceAsStream("/io/modelserve/dashboard/index.html")) {
        dashboardPage = Buffer.buffer(page.readAllBytes());
      }
      apiKeys = KeyRing.load("API keys", options.getApiKeyFile(), "MODELSERVE_API_KEYS").watch(vertx);
      KeyRing admin = KeyRing.load("admin keys", options.getAdminKeyFile(), "MODELSERVE_ADMIN_KEYS");
      adminKeys = admin.current().required() ? admin.watch(vertx) : apiKeys;
      return null;
    }).onSuccess(v -> serve(started)).onFailure(started::fail);
  }

  /**
   * A worker's heartbeat, taken only from a member of this controller's cluster. The event bus
   * runs over connections of its own, so a worker that Hazelcast has split off (a link cut for
   * longer than {@code max.no.heartbeat.seconds}) still reaches the controller; but its
   * registrations here are gone, and when the halves merge it rejoins under a new member uuid
   * and registers afresh. Routed in between, its requests would hang or fail: it waits out of
   * routing until it is a member again.
   */
  private void onHeartbeat(JsonObject hb) {
    String member = hb.getString("member");
    if (joins != null && member != null && !joins.isMember(member)) {
      String id = hb.getString("id", "?");
      if (outsiders.add(id)) {
        log.info("worker {} is not in this controller's cluster (split off): not routed until the clusters merge", id);
      }
      return;
    }
    if (!outsiders.isEmpty()) {
      outsiders.remove(hb.getString("id", "?"));
    }
    dispatcher.onHeartbeat(hb);
  }

  /** How long a worker whose address had no handler is named in the answers to cluster hints. */
  private static final long NOT_LISTENING_REPORT_MS = 5_000;

  /** Workers whose heartbeats come from outside this cluster, each logged once. */
  private final java.util.Set<String> outsiders = new java.util.HashSet<>();

  private void serve(Promise<Void> started) {
    jvm = new JvmMetrics();
    metrics = new ControllerMetrics(jvm.registry());
    dispatcher = new Dispatcher(vertx, options, metrics);
    joins = JoinList.of(vertx);
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.HEARTBEAT, m -> onHeartbeat(m.body()));
    bus.<JsonObject>consumer(Addresses.DRAIN, m -> {
      dispatcher.onDrain(m.body().getString("id"));
      m.reply("ok");
    });
    bus.<JsonObject>consumer(Addresses.LEFT, m -> dispatcher.onLeft(m.body().getString("id")));
    vertx.setPeriodic(Math.max(50, options.getWorkerTimeoutMs() / 6), t -> dispatcher.dropSilentWorkers());
    vertx.setPeriodic(1_000, t -> {
      java.util.Map<String, Integer> queued = new java.util.HashMap<>();
      dispatcher.status().forEach(e -> queued.put(e.getKey(), ((JsonObject) e.getValue()).getInteger("queued", 0)));
      metrics.live().tick(System.currentTimeMillis(), queued);
    });
    if (joins != null) {
      vertx.setPeriodic(10_000, t -> joins.expire());
    }

    int loops = options.httpEventLoopsInForce();
    // the other loops share the port: Vert.x hands each new connection to one of them in turn.
    // A random port is shared only when asked for as a negative one (servers listening on the
    // actual port of a port-0 server bind again, and fail)
    int port = options.getPort() == 0 && loops > 1 ? -1 : options.getPort();
    listen(port)
        .compose(s -> {
          server = s;
          actualPort = s.actualPort();
          listeningSinceNanos = System.nanoTime();
          return loops == 1 ? Future.succeededFuture()
              : vertx.deployVerticle(() -> new HttpLoop(port), new DeploymentOptions().setInstances(loops - 1));
        })
        .onSuccess(v -> {
          log.info("controller listening on http://{}:{} ({} HTTP event loop(s), webroot {})", options.getHost(),
              actualPort, loops, Path.of(options.getWebroot()).toAbsolutePath().normalize());
          started.complete();
        })
        .onFailure(started::fail);
  }

  /**
   * Starts an HTTP server on the calling verticle's event loop. On the dispatcher's own loop a
   * request reaches the dispatcher without changing threads; on another, the calls that need the
   * dispatcher's state go to its loop ({@link Dispatcher#call}) and their answers come back.
   */
  private Future<HttpServer> listen(int port) {
    // 100 Continue is decided per request: a request refused is refused before its body
    HttpServer http = vertx.createHttpServer(new HttpServerOptions().setHandle100ContinueAutomatically(false)
        // HTTP/1.1 only: h2c detection would hide a silent connection until its first bytes
        .setHttp2ClearTextEnabled(false)
        // a gzip or deflate request body reaches the model decoded (other encodings: 415)
        .setDecompressionSupported(true));
    Router router = router();
    // a service call skips the router (its matching, a routing context, a request wrapper and
    // a forwarded-header parser per request) unless CORS, which the router applies, is on
    boolean direct = Cors.handler(options.getCorsOrigins()) == null;
    http.invalidRequestHandler(RequestChecks::invalid);
    http.requestHandler(ConnectionTimeouts.install(vertx, http, options.getHeaderTimeoutMs(),
        options.getIdleTimeoutMs(), req -> {
          ApiResponse problem = RequestChecks.problem(req);
          if (problem != null) {
            RequestChecks.refuse(req, problem);
          } else if (direct && !req.path().startsWith("/_/")) {
            service(req, () -> router.handle(req));
          } else {
            router.handle(req);
          }
        }));
    return http.listen(port, options.getHost());
  }

  /** One more event loop taking HTTP for this controller: the server, its timers, its connections. */
  private final class HttpLoop extends AbstractVerticle {
    private final int port;
    private HttpServer http;

    HttpLoop(int port) {
      this.port = port;
    }

    @Override
    public void start(Promise<Void> started) {
      listen(port).onSuccess(s -> {
        http = s;
        if (s.actualPort() != actualPort) {
          // a server of its own on another port would take no connection of the controller's
          started.fail("an HTTP event loop listens on port " + s.actualPort() + ", not the controller's " + actualPort);
          return;
        }
        started.complete();
      }).onFailure(started::fail);
    }

    /** Undeployed before the controller verticle: drains its connections while the dispatcher runs on. */
    @Override
    public void stop(Promise<Void> stopped) {
      if (http == null) {
        stopped.complete();
        return;
      }
      beginStop();
      http.shutdown(options.getDrainTimeoutMs() + 1_000, TimeUnit.MILLISECONDS).onComplete(ar -> stopped.complete());
    }
  }

  private Router router() {
    Router router = Router.router(vertx);
    var cors = Cors.handler(options.getCorsOrigins());
    if (cors != null) {
      router.route().handler(cors);
    }
    router.get("/_/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ok")));
    router.get("/_/status").handler(admin(ctx -> dispatcher.call(() -> new JsonObject()
        .put("httpEventLoops", options.httpEventLoopsInForce())
        .put("cluster", ClusterNode.describe(vertx))
        .put("services", dispatcher.status()), status -> json(ctx, 200, status))));
    // the gauges read the dispatcher's queues
    router.get("/_/metrics").handler(admin(ctx -> dispatcher.call(metrics::scrape, text ->
        ctx.response().putHeader("content-type", HttpResponses.PROMETHEUS_TEXT).end(text))));
    // the page is no secret; the figures it fetches need what /_/status needs
    router.get("/_/").handler(ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8")
        .putHeader("cache-control", "no-cache").end(dashboardPage));
    router.get("/_/dashboard").handler(admin(ctx -> dispatcher.call(() -> new JsonObject()
        .put("cluster", ClusterNode.describe(vertx))
        .put("services", dispatcher.status())
        .put("series", metrics.live().toJson()), board -> json(ctx, 200, board))));
    router.get("/_/ready").handler(ctx -> dispatcher.call(() -> Readiness.all(dispatcher.status(), notYetKnown()),
        answer -> HttpResponses.write(ctx.response(), answer)));
    router.get("/_/ready/:name").handler(ctx -> {
      String name = ctx.pathParam("name");
      dispatcher.call(() -> Readiness.one(dispatcher.status(), name, notYetKnown()),
          answer -> HttpResponses.write(ctx.response(), answer));
    });
    router.get("/_/cluster").handler(ctx -> json(ctx, 200, joins == null ? new JsonObject() : joins.self()));
    router.post("/_/cluster").handler(this::clusterHint);
    router.route("/_/*").handler(ctx -> HttpResponses.error(ctx.response(), 404,
        "unknown path " + ctx.request().path() + "; try /_/ (the dashboard), /_/health, /_/ready, /_/status or /_/metrics", null));
    router.route().handler(ctx -> service(ctx.request(), ctx::next));
    String webroot = Path.of(options.getWebroot()).toAbsolutePath().normalize().toString();
    // only the page and its assets: the webroot defaults to the working directory, whose other
    // files (build output, sources, configuration, logs) are nobody's business
    StaticHandler statics = StaticHandler.create(FileSystemAccess.ROOT, webroot).setCachingEnabled(false)
        .setIndexPage("index.html");
    router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
      if (WebAssets.servable(ctx.normalizedPath())) {
        statics.handle(ctx);
      } else {
        ctx.next();
      }
    });
    router.route().handler(ctx -> {
      // without a key, not even which services exist
      ApiResponse denied = Access.check(ctx.request(), apiKeys.current(), "an API key");
      if (denied != null) {
        RequestChecks.refuse(ctx.request(), denied);
        return;
      }
      String name = serviceName(ctx.request());
      dispatcher.call(() -> unknown(name.isEmpty() ? "/" : name), answer -> RequestChecks.refuse(ctx.request(), answer));
    });
    for (int status : new int[] {400, 403, 404, 405, 413, 500}) {
      router.errorHandler(status, ctx -> RequestChecks.refuse(ctx.request(), Errors.json(status,
          ctx.failure() == null ? "request failed with status " + status : ctx.failure().toString(), null, null)));
    }
    return router;
  }

  /** {@code handler} behind the admin keys (else the API keys; open when there are none): 401 JSON without. */
  private io.vertx.core.Handler<RoutingContext> admin(io.vertx.core.Handler<RoutingContext> handler) {
    return ctx -> {
      ApiResponse denied = Access.check(ctx.request(), adminKeys.current(), "an admin key");
      if (denied != null) {
        RequestChecks.refuse(ctx.request(), denied);
      } else {
        handler.handle(ctx);
      }
    };
  }

  /**
   * Why this controller cannot yet tell which services exist (within its start-up grace, or
   * alone in its cluster), or {@code null} when it can.
   */
  private String notYetKnown() {
    if (stopping) {
      return "the controller is shutting down";
    }
    long sinceMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - listeningSinceNanos);
    if (sinceMs < options.getStartupGraceMs()) {
      return "the controller started " + sinceMs + " ms ago and workers register within "
          + options.getStartupGraceMs() + " ms";
    }
    if (joins != null && joins.alone()) {
      return "this controller is alone in its cluster: its workers' cluster has not merged with it yet, or none runs";
    }
    return null;
  }

  /**
   * A name no worker has registered. Right after a (re)start the workers have not all been
   * heard from yet, so the name may well exist: 503 with Retry-After until the start-up grace
   * has passed, and for as long as this controller is alone in its cluster (restarted on
   * another host, it merges with its workers' cluster within seconds); then 404.
   */
  private ApiResponse unknown(String name) {
    long sinceMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - listeningSinceNanos);
    if (sinceMs < options.getStartupGraceMs()) {
      return Errors.json(503, "no worker of '" + name + "' has registered yet: the controller started "
          + sinceMs + " ms ago and workers register within " + options.getStartupGraceMs() + " ms", name, null)
          .withHeader("Retry-After", "1");
    }
    if (joins != null && joins.alone()) {
      return Errors.json(503, "no worker of '" + name + "' has registered: this controller is alone in its "
          + "cluster (its workers' cluster has not merged with it yet, or none runs)", name, null)
          .withHeader("Retry-After", "1");
    }
    return dispatcher.unknown(name);
  }

  /**
   * A worker says where its cluster is ({@link ControllerLink}): when this controller is not in
   * it (it was restarted and formed a cluster of its own), its members join what this node's
   * Hazelcast searches, so that the next merge check finds them. Answers this node's own.
   */
  private void clusterHint(RoutingContext ctx) {
    if (joins == null) {
      json(ctx, 200, new JsonObject());
      return;
    }
    String length = ctx.request().getHeader("content-length");
    if (length == null || !length.matches("\\d{1,5}") || Integer.parseInt(length) > MAX_HINT_BYTES) {
      HttpResponses.error(ctx.response().putHeader("connection", "close"), 413,
          "a cluster hint is a JSON object of at most " + MAX_HINT_BYTES + " bytes with a content-length", null);
      return;
    }
    ctx.request().body().onComplete(ar -> {
      JsonObject hint;
      try {
        hint = ar.succeeded() ? ar.result().toJsonObject() : null;
      } catch (RuntimeException e) {
        hint = null;
      }
      if (hint == null) {
        HttpResponses.error(ctx.response(), 400, "a cluster hint is a JSON object", null);
        return;
      }
      if (!joins.isMember(hint.getString("uuid", ""))) {
        int fresh = joins.heard(hint);
        if (fresh > 0) {
          log.info("a worker's cluster is at {}: searching there ({} new address(es))", hint.getJsonArray("members"), fresh);
        }
      }
      // workers whose address found no handler lately: a merge may have lost their registration,
      // which they only learn this way (the event bus cannot tell them)
      dispatcher.call(() -> dispatcher.notListening(NOT_LISTENING_REPORT_MS),
          ids -> json(ctx, 200, joins.self().put("notListening", new io.vertx.core.json.JsonArray(ids))));
    });
  }

  /** A call of a service; {@code notAService} when the name is none (the page, its files, a 404). */
  private void service(HttpServerRequest req, Runnable notAService) {
    if (stopping) {
      RequestChecks.refuse(req, Errors.json(503, "the controller is shutting down: retry on another", null, null)
          .withHeader("Retry-After", "1").withHeader("Connection", "close"));
      return;
    }
    String name = serviceName(req);
    if (name.isEmpty() || !dispatcher.knows(name)) {
      notAService.run();
      return;
    }
    metrics.track(name, req);
    ApiResponse denied = Access.check(req, apiKeys.current(), "an API key");
    if (denied != null) {
      RequestChecks.refuse(req, denied);
      return;
    }
    // refused before the body is read: a client need not send a body that nobody will read
    ApiException tooLarge = HttpRequestReader.checkLength(req, options.getMaxBodyBytes());
    if (tooLarge != null) {
      RequestChecks.refuse(req, Errors.json(tooLarge.status(), tooLarge.getMessage(), name, null));
      return;
    }
    if (dispatcher.onItsThread()) {
      ApiResponse refusal = dispatcher.admit(name);
      if (refusal != null) {
        RequestChecks.refuse(req, refusal);
      } else {
        readAndSubmit(name, req);
      }
    } else if (RequestChecks.expectsContinue(req)) {
      // the client waits for a word before it sends the body: ask the dispatcher first
      req.pause();
      dispatcher.call(() -> dispatcher.admit(name), refusal -> {
        req.resume();
        if (refusal != null) {
          RequestChecks.refuse(req, refusal);
        } else {
          readAndSubmit(name, req);
        }
      });
    } else {
      // the body is on its way anyway: submit admits, or refuses with the same answer
      readAndSubmit(name, req);
    }
  }

  private void readAndSubmit(String name, HttpServerRequest req) {
    RequestChecks.acceptBody(req);
    HttpRequestReader.read(req, new BodyLimits(options.getMaxBodyBytes(), options.getMaxFields()),
            options.getIdleTimeoutMs())
        .onSuccess(request -> {
          if (dispatcher.onItsThread()) {
            Runnable clientGone = dispatcher.submit(name, request, answer -> HttpResponses.write(req.response(), answer));
            // the connection closed before the answer: drop the request, or tell its worker
            req.response().closeHandler(v -> clientGone.run());
            return;
          }
          // from another HTTP loop: submitted on the dispatcher's, answered back on this one;
          // the close comes after the submit on the dispatcher's queue, so it finds what to run
          Context here = vertx.getOrCreateContext();
          Runnable[] clientGone = new Runnable[1];
          dispatcher.run(() -> clientGone[0] = dispatcher.submit(name, request,
              answer -> here.runOnContext(v -> HttpResponses.write(req.response(), answer))));
          req.response().closeHandler(v -> dispatcher.run(() -> clientGone[0].run()));
        })
        // a body left unread (over the limit, stalled) closes the connection
        .onFailure(e -> RequestChecks.refuse(req,
            Errors.json(e instanceof ApiException a ? a.status() : 400, e.getMessage(), name, null)));
  }

  private static String serviceName(HttpServerRequest req) {
    String path = req.path();
    int end = path.indexOf('/', 1);
    return end < 0 ? path.substring(1) : path.substring(1, end);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encodePrettily());
  }

  /**
   * Stops gracefully: accepts no more connections or requests (503 with Retry-After and
   * {@code Connection: close} on kept-alive ones, {@code /_/ready} 503), lets what is in flight
   * and queued finish for up to the drain timeout, answers what is still queued then 503, and
   * closes once every response has been written (or a second after the timeout).
   */
  @Override
  public void stop(Promise<Void> stopped) {
    if (server == null) {
      stopped.complete();
      return;
    }
    beginStop();
    server.shutdown(options.getDrainTimeoutMs() + 1_000, TimeUnit.MILLISECONDS).onComplete(ar -> {
      vertx.cancelTimer(refuseTimer);
      jvm.close();
      log.info("controller stopped");
      stopped.complete();
    });
  }

  /**
   * Once, from whichever loop stops first (the other HTTP loops stop before this verticle): no
   * new requests from now on, and what is still queued at the drain timeout is answered 503.
   */
  private void beginStop() {
    if (!stopBegun.compareAndSet(false, true)) {
      return;
    }
    stopping = true;
    apiKeys.close();
    adminKeys.close();
    long drainMs = options.getDrainTimeoutMs();
    log.info("controller stopping: no new requests; up to {} ms for those in flight", drainMs);
    dispatcher.run(() -> refuseTimer = vertx.setTimer(Math.max(1, drainMs), t -> {
      int refused = dispatcher.refuseQueued("the controller is shutting down: retry on another");
      if (refused > 0) {
        log.info("controller stopping: {} request(s) still queued answered 503", refused);
      }
    }));
  }
}
