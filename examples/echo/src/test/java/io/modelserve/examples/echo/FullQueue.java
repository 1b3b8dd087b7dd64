package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A {@code sim} service at capacity: for the checks that a full queue refuses before the body. */
final class FullQueue {

  private FullQueue() {}

  /**
   * Sends three requests to one slow {@code sim} worker behind a controller with
   * {@code --max-queue 1}: one runs, one waits ahead on the worker, one in the controller's
   * queue. Returns them once the third is queued.
   */
  static List<CompletableFuture<HttpResponse<String>>> fill(LocalCluster c) {
    HttpRequest sim = HttpRequest.newBuilder(c.uri("/sim")).build();
    List<CompletableFuture<HttpResponse<String>>> filling = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      filling.add(c.httpClient().sendAsync(sim, HttpResponse.BodyHandlers.ofString()));
    }
    Poll.until(Duration.ofSeconds(30), "a request of sim queued at the controller", () ->
        Http.json(c.get("/_/status")).getJsonObject("services").getJsonObject("sim").getInteger("queued") == 1);
    return filling;
  }

  /** A POST that waits for 100 Continue, on a new connection: refused 503 with Retry-After instead. */
  static void assertRefusedBeforeTheBody(LocalCluster c) {
    try (RawHttp raw = new RawHttp(c.controllerPort())) {
      RawHttp.Response r = raw.send("POST /sim HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n"
          + "Expect: 100-continue\r\n\r\n").read();
      assertEquals(503, r.status(), r.body());
      assertEquals("1", r.headers().get("retry-after"));
      assertTrue(r.json().getString("error").contains("over capacity"), r.body());
    }
  }
}
