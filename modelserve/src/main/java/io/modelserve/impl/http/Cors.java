package io.modelserve.impl.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * Cross-origin calls from browsers ({@code --cors-origin}): Vert.x Web's {@link CorsHandler}
 * answers preflights and adds the headers, for the origins configured. A request whose Origin
 * is the controller itself (its own page posting a form) is same-origin and passes untouched,
 * so that listing other origins never locks out the controller's own page.
 */
public final class Cors {

  private Cors() {}

  /** Request headers a cross-origin page may send. */
  static final Set<String> ALLOWED_HEADERS = Set.of("Content-Type", "Authorization", "X-API-Key", "Accept");
  /** Response headers a cross-origin page may read. */
  static final Set<String> EXPOSED_HEADERS = Set.of("X-Model-Serve-Worker", "Retry-After");

  /** The problem with an origin list, in one line, or {@code null} when it is valid. */
  public static String problem(List<String> origins) {
    if (origins.contains("*") && origins.size() > 1) {
      return "--cors-origin '*' allows every origin and cannot be combined with others";
    }
    for (String o : origins) {
      if (o.equals("*")) {
        continue;
      }
      URI uri;
      try {
        uri = URI.create(o);
      } catch (IllegalArgumentException e) {
        return "--cors-origin: not an origin: " + o;
      }
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
          || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
        return "--cors-origin: not an origin (scheme://host[:port], no path): " + o;
      }
    }
    return null;
  }

  /** The handler for {@code origins}, or {@code null} when there are none. */
  public static Handler<RoutingContext> handler(List<String> origins) {
    if (origins.isEmpty()) {
      return null;
    }
    CorsHandler cors = CorsHandler.create().addOrigins(origins)
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH,
            HttpMethod.OPTIONS, HttpMethod.HEAD))
        .allowedHeaders(ALLOWED_HEADERS)
        .exposedHeaders(EXPOSED_HEADERS)
        .maxAgeSeconds(600);
    return ctx -> {
      if (sameOrigin(ctx.request().getHeader("Origin"), ctx.request().getHeader("Host"))) {
        ctx.next();
      } else {
        cors.handle(ctx);
      }
    };
  }

  /** Whether {@code origin} names the host (and port) the request was sent to. */
  static boolean sameOrigin(String origin, String host) {
    if (origin == null || host == null) {
      return origin == null;
    }
    try {
      URI o = URI.create(origin);
      if (o.getHost() == null) {
        return false;
      }
      int port = o.getPort() >= 0 ? o.getPort() : "https".equals(o.getScheme()) ? 443 : 80;
      String wanted = o.getHost() + ":" + port;
      String given = host.contains(":") && !host.endsWith("]") ? host : host + ":" + ("https".equals(o.getScheme()) ? 443 : 80);
      return wanted.equalsIgnoreCase(given);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
