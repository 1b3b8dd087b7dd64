package io.modelserve.impl.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LiveSeriesTest {

  @Test
  void eachSecondGetsItsRateItsPercentilesAndTheQueueThenStartsAfresh() {
    LiveSeries live = new LiveSeries(300);
    live.tick(1_000_000, Map.of("a", 0));
    for (int i = 1; i <= 100; i++) {
      live.answered("a", i == 100 ? 503 : 200, TimeUnit.MILLISECONDS.toNanos(i));
    }
    live.tick(1_002_000, Map.of("a", 7));
    live.tick(1_003_000, Map.of("a", 0));
    JsonObject a = live.toJson().getJsonObject("a");
    assertEquals(3, a.getJsonArray("t").size());
    // 100 answers over the two seconds since the last tick
    assertEquals(50.0, a.getJsonArray("rps").getDouble(1));
    assertEquals(0.5, a.getJsonArray("errorsPerSecond").getDouble(1));
    assertEquals(50.0, a.getJsonArray("p50Ms").getDouble(1), 0.1);
    assertEquals(95.0, a.getJsonArray("p95Ms").getDouble(1), 0.1);
    assertEquals(99.0, a.getJsonArray("p99Ms").getDouble(1), 0.1);
    assertEquals(7, a.getJsonArray("queued").getInteger(1));
    // a second without answers: no rate, no percentile
    assertEquals(0.0, a.getJsonArray("rps").getDouble(2));
    assertNull(a.getJsonArray("p99Ms").getValue(2));
  }

  @Test
  void keepsOnlyTheLastSamples() {
    LiveSeries live = new LiveSeries(3);
    for (int s = 1; s <= 10; s++) {
      live.answered("b", 200, 1_000_000);
      live.tick(s * 1000L, Map.of());
    }
    JsonObject b = live.toJson().getJsonObject("b");
    assertEquals(3, b.getJsonArray("t").size());
    assertEquals(8.0, b.getJsonArray("t").getDouble(0));
    assertEquals(10.0, b.getJsonArray("t").getDouble(2));
  }
}
