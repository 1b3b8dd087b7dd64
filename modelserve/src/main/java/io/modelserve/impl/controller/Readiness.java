package io.modelserve.impl.controller;

import io.modelserve.ApiResponse;
import io.modelserve.impl.Errors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What {@code /_/ready} answers a load balancer: 200 when every service this controller knows
 * has a live worker, else 503 naming the services without one. A controller that cannot tell
 * yet (within its start-up grace, or alone in its cluster) and one that knows no service at
 * all is not ready either: routing traffic to it would only earn 503s.
 */
public final class Readiness {

  private Readiness() {}

  /**
   * @param services {@link Dispatcher#status()}: per service, its {@code liveWorkers}
   * @param notYet why the controller cannot tell yet, or {@code null}
   */
  public static ApiResponse all(JsonObject services, String notYet) {
    JsonObject live = new JsonObject();
    JsonArray missing = new JsonArray();
    for (String name : services.fieldNames()) {
      int n = services.getJsonObject(name).getInteger("liveWorkers", 0);
      live.put(name, n);
      if (n == 0) {
        missing.add(name);
      }
    }
    JsonObject extra = new JsonObject().put("ready", false).put("services", live).put("missing", missing);
    if (notYet != null) {
      return Errors.json(503, notYet, null, extra).withHeader("Retry-After", "1");
    }
    if (services.isEmpty()) {
      return Errors.json(503, "no worker of any service has registered", null, extra).withHeader("Retry-After", "1");
    }
    if (!missing.isEmpty()) {
      return Errors.json(503, "no live worker for: " + String.join(", ", missing.stream().map(Object::toString).toList()),
          null, extra).withHeader("Retry-After", "1");
    }
    return ok(new JsonObject().put("ready", true).put("services", live));
  }

  /** {@code /_/ready/<name>}: 200 with a live worker, 503 without (or not yet known), 404 for no such service. */
  public static ApiResponse one(JsonObject services, String name, String notYet) {
    JsonObject s = services.getJsonObject(name);
    if (s == null) {
      if (notYet != null) {
        return Errors.json(503, notYet, name, new JsonObject().put("ready", false)).withHeader("Retry-After", "1");
      }
      return Errors.json(404, "no service is named '" + name + "'", name, new JsonObject().put("ready", false)
          .put("services", new JsonArray(services.fieldNames().stream().sorted().toList())));
    }
    int n = s.getInteger("liveWorkers", 0);
    if (n == 0) {
      return Errors.json(503, "no live worker for '" + name + "'", name,
          new JsonObject().put("ready", false).put("liveWorkers", 0)).withHeader("Retry-After", "1");
    }
    return ok(new JsonObject().put("ready", true).put("service", name).put("liveWorkers", n));
  }

  private static ApiResponse ok(JsonObject body) {
    return new ApiResponse(200, "application/json", java.util.Map.of(), body.toBuffer().getBytes());
  }
}
