package io.modelserve.impl.metrics;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** Latency histograms as Prometheus reads them: buckets from 1 ms to 2 minutes. */
final class Histograms {

  private Histograms() {}

  static Timer.Builder timer(String name, String service, String description) {
    return Timer.builder(name).description(description).tag("service", service)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(2));
  }
}
