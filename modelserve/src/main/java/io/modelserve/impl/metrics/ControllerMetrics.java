package io.modelserve.impl.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.modelserve.impl.controller.DispatchMetrics;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The controller's Prometheus metrics, per service (label {@code service}):
 * <ul>
 *   <li>{@code modelserve_requests_total{service,status}}: answers by HTTP status, refusals
 *       (401, 413, 503) and clients gone before the answer ({@code status="499"}) included;</li>
 *   <li>{@code modelserve_request_duration_seconds}: from the request's arrival to the end of its
 *       answer (a stream's last chunk), a histogram;</li>
 *   <li>{@code modelserve_queue_wait_seconds}: from arrival to the first dispatch to a worker;</li>
 *   <li>{@code modelserve_inference_duration_seconds}: the inference as the worker timed it (a
 *       batch's time for each of its requests);</li>
 *   <li>{@code modelserve_queue_depth}, {@code modelserve_in_flight}, {@code modelserve_live_workers};</li>
 *   <li>{@code modelserve_rejected_total{service,reason}} ({@code queue_full}, {@code queue_wait}),
 *       {@code modelserve_retries_total}, {@code modelserve_streams_total};</li>
 * </ul>
 * and the JVM's own ({@link JvmMetrics}). Thread-safe: answers are counted on the event loop
 * of the HTTP connection they go out on, the dispatcher's figures on its own.
 */
public final class ControllerMetrics implements DispatchMetrics {

  private final PrometheusMeterRegistry registry;
  private final Map<String, ServiceMeters> services = new ConcurrentHashMap<>();
  /** The dashboard's last five minutes. */
  private final LiveSeries live = new LiveSeries(300);

  public ControllerMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /** The text exposition format, for {@code /_/metrics}. */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * Counts {@code req}'s answer and times it once the response has ended. A request whose client
   * leaves before its answer is counted by {@link #abandoned} instead (the response never ends).
   */
  public void track(String service, HttpServerRequest req) {
    long start = System.nanoTime();
    HttpServerResponse response = req.response();
    response.endHandler(v -> answered(service, response.getStatusCode(), System.nanoTime() - start));
  }

  @Override
  public void abandoned(String service, long nanos) {
    answered(service, 499, nanos);
  }

  /** One answer to a request for {@code service} with {@code status}, after {@code nanos}. */
  public void answered(String service, int status, long nanos) {
    ServiceMeters m = meters(service);
    m.answers(registry, service, status).increment();
    m.duration.record(nanos, TimeUnit.NANOSECONDS);
    live.answered(service, status, nanos);
  }

  /** Each service's last minutes, a sample a second, for the dashboard. */
  public LiveSeries live() {
    return live;
  }

  @Override
  public void service(String name, IntSupplier queued, IntSupplier inFlight, IntSupplier liveWorkers) {
    Tags tags = Tags.of("service", name);
    // held strongly: a gauge keeps only a weak reference to its object, and nothing else holds
    // these suppliers; collected, the gauge reads NaN
    Gauge.builder("modelserve.queue.depth", queued, IntSupplier::getAsInt).tags(tags).strongReference(true)
        .description("Requests waiting at the controller for a worker").register(registry);
    Gauge.builder("modelserve.in.flight", inFlight, IntSupplier::getAsInt).tags(tags).strongReference(true)
        .description("Requests sent to workers and not yet answered").register(registry);
    Gauge.builder("modelserve.live.workers", liveWorkers, IntSupplier::getAsInt).tags(tags).strongReference(true)
        .description("Workers that take requests (neither draining nor stuck)").register(registry);
    meters(name);
  }

  @Override
  public void dispatched(String service, long queuedNanos, boolean retry) {
    ServiceMeters m = meters(service);
    if (retry) {
      m.retries.increment();
    } else {
      m.queueWait.record(queuedNanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void inference(String service, long nanos) {
    meters(service).inference.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void rejected(String service, String reason) {
    Counter.builder("modelserve.rejected").description("Requests refused for capacity, by reason")
        .tags("service", service, "reason", reason).register(registry).increment();
  }

  @Override
  public void streamStarted(String service) {
    meters(service).streams.increment();
  }

  private ServiceMeters meters(String service) {
    return services.computeIfAbsent(service, s -> new ServiceMeters(registry, s));
  }

  /** The meters of one service, made once. */
  private static final class ServiceMeters {
    final Timer duration;
    final Timer queueWait;
    final Timer inference;
    final Counter retries;
    final Counter streams;
    /** By HTTP status, made on first use: no map lookup per request. */
    private final Counter[] byStatus = new Counter[600];

    ServiceMeters(PrometheusMeterRegistry registry, String service) {
      duration = Histograms.timer("modelserve.request.duration", service,
          "From a request's arrival at the controller to the end of its answer").register(registry);
      queueWait = Histograms.timer("modelserve.queue.wait", service,
          "From a request's arrival to its dispatch to a worker").register(registry);
      inference = Histograms.timer("modelserve.inference.duration", service,
          "The inference (its batch's) as the worker timed it").register(registry);
      retries = Counter.builder("modelserve.retries").tag("service", service)
          .description("Requests sent again to another worker after theirs died").register(registry);
      streams = Counter.builder("modelserve.streams").tag("service", service)
          .description("Answers streamed (chunked or Server-Sent Events)").register(registry);
    }

    Counter answers(PrometheusMeterRegistry registry, String service, int status) {
      int i = status >= 100 && status < 600 ? status : 0;
      Counter c = byStatus[i];
      if (c == null) {
        // two loops may both register it: the registry gives both the same counter
        c = Counter.builder("modelserve.requests").description("Requests answered, by service and HTTP status")
            .tags("service", service, "status", Integer.toString(status)).register(registry);
        byStatus[i] = c;
      }
      return c;
    }
  }
}
