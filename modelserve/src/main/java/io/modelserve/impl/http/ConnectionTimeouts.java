package io.modelserve.impl.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Closes the connections that hold a file descriptor for nothing: one whose first request has
 * not arrived (headers complete) within {@code headerTimeoutMs} of connecting, and one with no
 * request in progress for {@code idleTimeoutMs} (a kept-alive connection, or a client sending
 * its next request's headers too slowly). A connection waiting for its answer is never idle:
 * the request's own timeout bounds that wait.
 *
 * <p>One periodic sweep per server rather than a timer per connection; it runs on the
 * server's event loop, like the handlers that update the state.
 */
public final class ConnectionTimeouts {

  private final long headerTimeoutNanos;
  private final long idleTimeoutNanos;
  private final Map<HttpConnection, State> connections = new IdentityHashMap<>();

  private static final class State {
    final long openedNanos = System.nanoTime();
    final List<HttpServerResponse> open = new ArrayList<>();
    boolean requested;
    long idleSinceNanos = openedNanos;
  }

  private ConnectionTimeouts(long headerTimeoutMs, long idleTimeoutMs) {
    this.headerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(headerTimeoutMs);
    this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
  }

  /**
   * Watches the connections of {@code server}; returns the request handler to install, which
   * passes each request on to {@code handler}. Call from the verticle that owns the server,
   * before {@code listen}.
   */
  public static Handler<HttpServerRequest> install(Vertx vertx, HttpServer server, long headerTimeoutMs,
      long idleTimeoutMs, Handler<HttpServerRequest> handler) {
    return watch(vertx, server, headerTimeoutMs, idleTimeoutMs, handler).handler;
  }

  /** The request handler {@link #install} returns, wrapping {@code handler}. */
  private Handler<HttpServerRequest> handler;

  /** As {@link #install}, returning the watcher itself (its {@code handler} is what to install). */
  static ConnectionTimeouts watch(Vertx vertx, HttpServer server, long headerTimeoutMs,
      long idleTimeoutMs, Handler<HttpServerRequest> handler) {
    ConnectionTimeouts t = new ConnectionTimeouts(headerTimeoutMs, idleTimeoutMs);
    server.connectionHandler(conn -> {
      t.connections.put(conn, new State());
      conn.closeHandler(v -> t.connections.remove(conn));
    });
    long period = Math.max(10, Math.min(headerTimeoutMs, idleTimeoutMs) / 4);
    // a verticle's timers end with it
    vertx.setPeriodic(period, id -> t.sweep());
    t.handler = req -> {
      State s = t.connections.get(req.connection());
      if (s != null) {
        s.requested = true;
        // the responses before this one on the connection have ended (HTTP/1.1 answers in
        // order): let them go now, not at the next sweep. Held until then, every request and all
        // it refers to outlived a young collection: measured under wrk, 20 MB promoted per
        // young GC, 70-95 ms pauses and a full GC every 5 s in the controller
        s.open.removeIf(r -> r.ended() || r.closed());
        s.open.add(req.response());
      }
      handler.handle(req);
    };
    return t;
  }

  /** The request handler to install on the server. */
  Handler<HttpServerRequest> handler() {
    return handler;
  }

  /** Responses held, over all connections: answered ones are let go by the next request. */
  int responsesHeld() {
    int n = 0;
    for (State s : connections.values()) {
      n += s.open.size();
    }
    return n;
  }

  private void sweep() {
    long now = System.nanoTime();
    List<HttpConnection> expired = new ArrayList<>();
    connections.forEach((conn, s) -> {
      boolean wasBusy = !s.open.isEmpty();
      s.open.removeIf(r -> r.ended() || r.closed());
      if (!s.open.isEmpty()) {
        return;
      }
      if (wasBusy) {
        s.idleSinceNanos = now;
      }
      long limit = s.requested ? idleTimeoutNanos : headerTimeoutNanos;
      if (now - (s.requested ? s.idleSinceNanos : s.openedNanos) > limit) {
        expired.add(conn);
      }
    });
    for (HttpConnection conn : expired) {
      connections.remove(conn);
      conn.close();
    }
  }
}
