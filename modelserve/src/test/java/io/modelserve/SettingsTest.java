package io.modelserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.options.WorkerOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  private final Settings s = Settings.of(Map.of("n", " 12 ", "x", "0.5", "on", "TRUE", "dir", "/tmp/m", "word", "soon"));

  @Test
  void typedGettersParseOrFallBack() {
    assertEquals(12, s.getInt("n", 1));
    assertEquals(12L, s.getLong("n", 1));
    assertEquals(0.5, s.getDouble("x", 1));
    assertTrue(s.getBoolean("on", false));
    assertEquals(Path.of("/tmp/m"), s.path("dir", null));
    assertEquals(3, s.getInt("missing", 3));
    assertFalse(s.getBoolean("missing", false));
    assertNull(s.get("missing"));
    assertEquals("d", s.get("missing", "d"));
  }

  @Test
  void aValueThatDoesNotParseNamesItsKey() {
    var e = assertThrows(IllegalArgumentException.class, () -> s.getInt("word", 0));
    assertEquals("setting 'word' must be an integer, not 'soon'", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.getBoolean("word", false));
    assertThrows(IllegalArgumentException.class, () -> s.getDouble("word", 0));
  }

  @Test
  void toStringShowsKeysNotValues() {
    Settings secret = Settings.of(Map.of("token", "hunter2"));
    assertEquals("Settings[token]", secret.toString());
  }

  @Test
  void theWorkerJsonConfigCarriesSettingsAndBatchOptions() {
    WorkerOptions o = new WorkerOptions(new JsonObject().put("name", "e")
        .put("settings", new JsonObject().put("n", 3).put("on", true).put("dir", "/m"))
        .put("maxBatchSize", 8).put("maxBatchDelayMs", 2));
    assertEquals(Map.of("n", "3", "on", "true", "dir", "/m"), o.getSettings());
    WorkerOptions copy = new WorkerOptions(o);
    assertEquals(o.getSettings(), copy.getSettings());
    assertEquals(8, copy.getMaxBatchSize());
    assertEquals(2, copy.getMaxBatchDelayMs());
    assertEquals(-1, new WorkerOptions().getMaxBatchDelayMs());
    assertThrows(IllegalArgumentException.class,
        () -> new WorkerOptions(new JsonObject().put("settings", new JsonObject().put("n", new JsonObject()))));
  }
}
