package io.modelserve.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

  private final RequestSpec spec = RequestSpec.builder("http://127.0.0.1:1/x").build();

  @Test
  void defaults_describe_a_closed_loop_of_1000_requests_by_10_clients() {
    LoadOptions o = LoadOptions.builder(spec).build();

    assertEquals(LoadOptions.DEFAULT_REQUESTS, o.requests());
    assertEquals(1000, o.requests());
    assertEquals(10, o.concurrency());
    assertEquals(LoadMode.CLOSED_LOOP, o.mode());
    assertEquals(0, o.warmup());
    assertEquals(0, o.warmupSeconds());
    assertEquals(1, o.eventLoops());
    assertEquals(RequestSpec.DEFAULT_TIMEOUT_MS, spec.timeoutMs());
  }

  @Test
  void a_rate_selects_the_open_loop_and_to_builder_copies_every_value() {
    LoadOptions o = LoadOptions.builder(spec).rate(50).requests(7).concurrency(3).warmup(2)
        .warmupSeconds(1.5).eventLoops(2).progress(true).build();
    LoadOptions copy = o.toBuilder().build();

    assertEquals(LoadMode.OPEN_LOOP, copy.mode());
    assertEquals(50.0, copy.rate());
    assertEquals(7, copy.requests());
    assertEquals(3, copy.concurrency());
    assertEquals(2, copy.warmup());
    assertEquals(1.5, copy.warmupSeconds());
    assertEquals(2, copy.eventLoops());
    assertTrue(copy.progress());
    assertEquals(4, o.toBuilder().concurrency(4).build().concurrency());
    assertEquals(3, o.concurrency(), "the original stays as it was");
  }

  @Test
  void values_that_make_no_run_are_refused_with_the_flag_named() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> LoadOptions.builder(spec).concurrency(0).build()).getMessage().contains("--concurrency"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> LoadOptions.builder(spec).requests(-1).build()).getMessage().contains("--requests"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> LoadOptions.builder(spec).rate(Double.NaN).build()).getMessage().contains("--rate"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> LoadOptions.builder(spec).eventLoops(0).build()).getMessage().contains("--event-loops"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> LoadOptions.builder(spec).warmupSeconds(-1).build()).getMessage().contains("--warmup-seconds"));
  }

  @Test
  void a_result_survives_the_json_round_trip() {
    LoadResult result = new LoadResult(LoadMode.OPEN_LOOP, 10, 2, 100, 0.1, 8, 2,
        new TreeMap<>(Map.of("HTTP 503", 1L, "timeout", 1L)), 100, 1, 2, 3, 4, 5, 1.5, 3.2, 120);

    String json = result.toJson();

    assertTrue(json.contains("\"mode\" : \"open-loop\""), json);
    assertEquals(result, LoadResult.fromJson(json));
  }
}
