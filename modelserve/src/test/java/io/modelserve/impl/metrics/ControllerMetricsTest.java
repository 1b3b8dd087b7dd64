package io.modelserve.impl.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.modelserve.testing.Poll;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ControllerMetricsTest {

  /**
   * The dispatcher hands over fresh lambdas, held by nothing else: a gauge that kept them only
   * weakly (Micrometer's default) read NaN after the next collection.
   */
  @Test
  void aServicesGaugesStillReadAfterACollection() {
    ControllerMetrics metrics = new ControllerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    AtomicInteger queued = new AtomicInteger(7);
    metrics.service("echo", () -> queued.get(), () -> 2, () -> 3);
    // a collection has run once an object only weakly held is gone
    WeakReference<Object> sentinel = new WeakReference<>(new Object());
    Poll.until(Duration.ofSeconds(30), "a garbage collection", () -> {
      System.gc();
      return sentinel.get() == null;
    });
    String text = metrics.scrape();
    assertTrue(text.contains("modelserve_queue_depth{service=\"echo\"} 7"), text);
    assertTrue(text.contains("modelserve_in_flight{service=\"echo\"} 2"), text);
    assertTrue(text.contains("modelserve_live_workers{service=\"echo\"} 3"), text);
  }
}
