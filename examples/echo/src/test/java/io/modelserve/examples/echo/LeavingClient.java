package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** A client that leaves an endless stream of the echo example's {@code stream} service part-way. */
final class LeavingClient {

  private LeavingClient() {}

  /**
   * Opens an endless stream through {@code c}'s controller, reads three events, closes the
   * connection and waits until the model has seen it leave (no stream active, one more stopped).
   * Returns the service's stats from before.
   */
  static JsonObject leaveAndAwaitStop(LocalCluster c) {
    JsonObject before = stats(c);
    try (StreamClient s = new StreamClient(c.controllerPort(), "/stream?n=1000000&ms=5").head()) {
      s.readEvents(3);
      assertEquals(3, s.events.size());
    }
    Poll.until(Duration.ofSeconds(10), "the model saw its client leave", () -> {
      JsonObject now = stats(c);
      return now.getLong("active") == 0 && now.getLong("stopped") == before.getLong("stopped") + 1;
    });
    return before;
  }

  /** The stream service's own counters: active, stopped, produced. */
  static JsonObject stats(LocalCluster c) {
    return new JsonObject(c.get("/stream/stats").body());
  }
}
