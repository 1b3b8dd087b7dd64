package io.modelserve.server;

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
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front of the cluster. {@code /<name>} (any method, any sub-path) goes to a worker of
 * service {@code name}; {@code /} serves {@code index.html} and the other files of the webroot;
 * {@code /_/health} and {@code /_/status} report on the controller and its workers.
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
  private HttpServer server;
  private long listeningSinceNanos;

  /** For the Vert.x launcher: options come from the deployment config. */
  public ControllerVerticle() {}

  public ControllerVerticle(ControllerOptions options) {
    this.options = new ControllerOptions(options);
  }

  /** The port the HTTP server listens on. */
  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public void start(Promise<Void> started) {
    if (options == null) {
      options = new ControllerOptions(config());
    }
    // first-use work that takes seconds on a loaded machine: off the event loop
    vertx.executeBlocking(() -> {
      EventLoopWarmUp.run();
      return null;
    }).onSuccess(v -> serve(started)).onFailure(started::fail);
  }

  private void serve(Promise<Void> started) {
    dispatcher = new Dispatcher(vertx, options);
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.HEARTBEAT, m -> dispatcher.onHeartbeat(m.body()));
    bus.<JsonObject>consumer(Addresses.DRAIN, m -> {
      dispatcher.onDrain(m.body().getString("id"));
      m.reply("ok");
    });
    bus.<JsonObject>consumer(Addresses.LEFT, m -> dispatcher.onLeft(m.body().getString("id")));
    vertx.setPeriodic(Math.max(50, options.getWorkerTimeoutMs() / 6), t -> dispatcher.dropSilentWorkers());
    joins = JoinList.of(vertx);
    if (joins != null) {
      vertx.setPeriodic(10_000, t -> joins.expire());
    }

    // 100 Continue is decided per request: a request refused is refused before its body
    server = vertx.createHttpServer(new HttpServerOptions().setHandle100ContinueAutomatically(false)
        // HTTP/1.1 only: h2c detection would hide a silent connection until its first bytes
        .setHttp2ClearTextEnabled(false));
    Router router = router();
    server.invalidRequestHandler(RequestChecks::invalid);
    server.requestHandler(ConnectionTimeouts.install(vertx, server, options.getHeaderTimeoutMs(),
        options.getIdleTimeoutMs(), req -> {
          ApiResponse problem = RequestChecks.problem(req);
          if (problem != null) {
            RequestChecks.refuse(req, problem);
          } else {
            router.handle(req);
          }
        }));
    server.listen(options.getPort(), options.getHost())
        .onSuccess(s -> {
          listeningSinceNanos = System.nanoTime();
          log.info("controller listening on http://{}:{} (webroot {})", options.getHost(), s.actualPort(),
              Path.of(options.getWebroot()).toAbsolutePath().normalize());
          started.complete();
        })
        .onFailure(started::fail);
  }

  private Router router() {
    Router router = Router.router(vertx);
    var cors = Cors.handler(options.getCorsOrigins());
    if (cors != null) {
      router.route().handler(cors);
    }
    router.get("/_/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ok")));
    router.get("/_/status").handler(ctx -> json(ctx, 200, new JsonObject()
        .put("cluster", ClusterNode.describe(vertx))
        .put("services", dispatcher.status())));
    router.get("/_/ready").handler(ctx -> HttpResponses.write(ctx.response(),
        Readiness.all(dispatcher.status(), notYetKnown())));
    router.get("/_/ready/:name").handler(ctx -> HttpResponses.write(ctx.response(),
        Readiness.one(dispatcher.status(), ctx.pathParam("name"), notYetKnown())));
    router.get("/_/cluster").handler(ctx -> json(ctx, 200, joins == null ? new JsonObject() : joins.self()));
    router.post("/_/cluster").handler(this::clusterHint);
    router.route("/_/*").handler(ctx -> HttpResponses.error(ctx.response(), 404,
        "unknown path " + ctx.request().path() + "; try /_/health, /_/ready or /_/status", null));
    router.route().handler(this::service);
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
      String name = serviceName(ctx.request());
      RequestChecks.refuse(ctx.request(), unknown(name.isEmpty() ? "/" : name));
    });
    for (int status : new int[] {400, 403, 404, 405, 413, 500}) {
      router.errorHandler(status, ctx -> RequestChecks.refuse(ctx.request(), Errors.json(status,
          ctx.failure() == null ? "request failed with status " + status : ctx.failure().toString(), null, null)));
    }
    return router;
  }

  /**
   * Why this controller cannot yet tell which services exist (within its start-up grace, or
   * alone in its cluster), or {@code null} when it can.
   */
  private String notYetKnown() {
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
      json(ctx, 200, joins.self());
    });
  }

  private void service(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    String name = serviceName(req);
    if (name.isEmpty() || !dispatcher.knows(name)) {
      ctx.next();
      return;
    }
    // refused before the body is read: a client need not send a body that nobody will read
    ApiException tooLarge = HttpRequestReader.checkLength(req, options.getMaxBodyBytes());
    ApiResponse refusal = tooLarge != null
        ? Errors.json(tooLarge.status(), tooLarge.getMessage(), name, null)
        : dispatcher.admit(name);
    if (refusal != null) {
      RequestChecks.refuse(req, refusal);
      return;
    }
    RequestChecks.acceptBody(req);
    HttpRequestReader.read(req, new BodyLimits(options.getMaxBodyBytes(), options.getMaxFields()),
            options.getIdleTimeoutMs())
        .onSuccess(request -> {
          Runnable clientGone = dispatcher.submit(name, request, answer -> HttpResponses.write(req.response(), answer));
          // the connection closed before the answer: drop the request, or tell its worker
          req.response().closeHandler(v -> clientGone.run());
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

  @Override
  public void stop(Promise<Void> stopped) {
    (server == null ? Future.<Void>succeededFuture() : server.close()).onComplete(ar -> stopped.complete());
  }
}
