package io.modelserve.impl.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.ApiResponse;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ReadinessTest {

  static JsonObject services(Object... nameAndLive) {
    JsonObject s = new JsonObject();
    for (int i = 0; i < nameAndLive.length; i += 2) {
      s.put((String) nameAndLive[i], new JsonObject().put("liveWorkers", nameAndLive[i + 1]));
    }
    return s;
  }

  static JsonObject body(ApiResponse r) {
    return new JsonObject(r.bodyText());
  }

  @Test
  void readyWhenEveryKnownServiceHasALiveWorker() {
    ApiResponse r = Readiness.all(services("a", 2, "b", 1), null);
    assertEquals(200, r.status());
    assertEquals(new JsonObject().put("a", 2).put("b", 1), body(r).getJsonObject("services"));
  }

  @Test
  void notReadyNamesTheServicesWithoutAWorker() {
    ApiResponse r = Readiness.all(services("a", 2, "b", 0), null);
    assertEquals(503, r.status());
    assertEquals("b", body(r).getJsonArray("missing").getString(0));
    assertTrue(body(r).getString("error").contains("b"));
    assertEquals("1", r.headers().get("Retry-After"));
  }

  @Test
  void notReadyWhileItCannotTellOrKnowsNoService() {
    assertEquals(503, Readiness.all(services("a", 1), "started 10 ms ago").status());
    assertEquals(503, Readiness.all(services(), null).status());
    assertEquals(503, Readiness.one(services(), "a", "started 10 ms ago").status());
  }

  @Test
  void oneService() {
    assertEquals(200, Readiness.one(services("a", 1, "b", 0), "a", null).status());
    assertEquals(503, Readiness.one(services("a", 1, "b", 0), "b", null).status());
    ApiResponse none = Readiness.one(services("a", 1), "c", null);
    assertEquals(404, none.status());
    assertEquals("a", body(none).getJsonArray("services").getString(0));
  }
}
