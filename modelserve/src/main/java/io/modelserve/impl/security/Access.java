package io.modelserve.impl.security;

import io.modelserve.ApiResponse;
import io.modelserve.impl.Errors;
import io.vertx.core.http.HttpServerRequest;

/** The key check of a protected route: {@code null} to let the request through, else its 401. */
public final class Access {

  private Access() {}

  public static ApiResponse check(HttpServerRequest req, ApiKeys keys, String what) {
    if (!keys.required()) {
      return null;
    }
    String presented = ApiKeys.presented(req.getHeader("Authorization"), req.getHeader("X-API-Key"));
    if (keys.accepts(presented)) {
      return null;
    }
    return Errors.json(401, (presented == null ? "this needs " : "unknown key: this needs ") + what
        + ": send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'", null, null)
        .withHeader("WWW-Authenticate", "Bearer realm=\"modelserve\"");
  }
}
