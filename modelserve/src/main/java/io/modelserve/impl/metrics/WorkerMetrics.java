package io.modelserve.impl.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.modelserve.impl.worker.DeviceRunner;
import java.util.concurrent.TimeUnit;

/**
 * A worker's Prometheus metrics at its own {@code /_/metrics}, labelled {@code service} and
 * {@code device}: {@code modelserve_worker_inferences_total} (answers below 500),
 * {@code modelserve_worker_errors_total} (500 and above), {@code modelserve_worker_request_duration_seconds}
 * (from arrival at the worker to the answer, its wait for the device included),
 * {@code modelserve_worker_inference_duration_seconds} (the model's time, a batch's for each of
 * its requests), {@code modelserve_worker_batch_size}, and gauges {@code modelserve_worker_running},
 * {@code modelserve_worker_waiting} and {@code modelserve_worker_stuck}; then the JVM's.
 */
public final class WorkerMetrics {

  private final PrometheusMeterRegistry registry;
  private final Counter inferences;
  private final Counter errors;
  private final Timer latency;
  private final Timer inference;
  private final DistributionSummary batchSize;

  public WorkerMetrics(PrometheusMeterRegistry registry, String service, String device, DeviceRunner runner) {
    this.registry = registry;
    Tags tags = Tags.of("service", service, "device", device);
    inferences = Counter.builder("modelserve.worker.inferences").tags(tags)
        .description("Requests this worker answered below status 500").register(registry);
    errors = Counter.builder("modelserve.worker.errors").tags(tags)
        .description("Requests this worker answered with status 500 or above").register(registry);
    latency = Histograms.timer("modelserve.worker.request.duration", service,
        "From a request's arrival at this worker to its answer").tag("device", device).register(registry);
    inference = Histograms.timer("modelserve.worker.inference.duration", service,
        "The model's time for a request's batch").tag("device", device).register(registry);
    batchSize = DistributionSummary.builder("modelserve.worker.batch.size").tags(tags)
        .description("Requests per batch the device ran").serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
        .register(registry);
    Gauge.builder("modelserve.worker.running", runner, DeviceRunner::running).tags(tags)
        .description("Requests the device runs now").register(registry);
    Gauge.builder("modelserve.worker.waiting", runner, DeviceRunner::waiting).tags(tags)
        .description("Requests waiting for the device").register(registry);
    Gauge.builder("modelserve.worker.stuck", runner, DeviceRunner::stuck).tags(tags)
        .description("Inferences running past their time limit").register(registry);
    runner.onBatch((size, nanos) -> {
      batchSize.record(size);
      for (int i = 0; i < size; i++) {
        inference.record(nanos, TimeUnit.NANOSECONDS);
      }
    });
  }

  /** One answer with {@code status}, {@code nanos} after the request reached this worker. */
  public void answered(int status, long nanos) {
    (status < 500 ? inferences : errors).increment();
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The text exposition format, for {@code /_/metrics}. */
  public String scrape() {
    return registry.scrape();
  }
}
