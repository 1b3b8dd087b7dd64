package io.modelserve.impl;

import io.modelserve.ApiResponse;
import io.vertx.core.json.JsonObject;

/** JSON error answers: {@code {"error": "...", "service": "..."}}. */
public final class Errors {

  private Errors() {}

  public static ApiResponse json(int status, String message, String service, JsonObject extra) {
    JsonObject body = new JsonObject().put("error", message);
    if (service != null) {
      body.put("service", service);
    }
    if (extra != null) {
      body.mergeIn(extra);
    }
    return new ApiResponse(status, "application/json", java.util.Map.of(), body.toBuffer().getBytes());
  }
}
