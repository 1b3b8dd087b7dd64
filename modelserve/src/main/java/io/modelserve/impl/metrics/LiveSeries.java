package io.modelserve.impl.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The last minutes of every service, one sample a second, for the dashboard at {@code /_/}:
 * answers per second, errors (status 500 and above) per second, latency percentiles (p50, p95,
 * p99 of the answers of that second, in milliseconds) and queue depth. Prometheus keeps the long
 * history; this is what a person watching the controller sees without one.
 *
 * <p>Thread-safe (a lock, taken once per answer): fed from the controller's HTTP event loops.
 */
public final class LiveSeries {

  private final int keep;
  private final Map<String, Series> services = new TreeMap<>();

  /** Keeps {@code seconds} samples per service. */
  public LiveSeries(int seconds) {
    this.keep = seconds;
  }

  /** An answer to a request for {@code service}, {@code nanos} after its arrival. */
  public synchronized void answered(String service, int status, long nanos) {
    Series s = series(service);
    s.answered++;
    if (status >= 500) {
      s.errors++;
    }
    s.latency.recordValue(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMicros(nanos), s.latency.getHighestTrackableValue())));
  }

  /** Closes the second that ended at {@code epochMillis}; {@code queued} is each service's queue depth now. */
  public synchronized void tick(long epochMillis, Map<String, Integer> queued) {
    queued.keySet().forEach(this::series);
    for (Map.Entry<String, Series> e : services.entrySet()) {
      Series s = e.getValue();
      double seconds = s.lastTick == 0 ? 1 : Math.max(0.001, (epochMillis - s.lastTick) / 1000.0);
      boolean any = s.latency.getTotalCount() > 0;
      s.samples.addLast(new double[] {
          epochMillis / 1000.0,
          s.answered / seconds,
          s.errors / seconds,
          any ? s.latency.getValueAtPercentile(50) / 1000.0 : Double.NaN,
          any ? s.latency.getValueAtPercentile(95) / 1000.0 : Double.NaN,
          any ? s.latency.getValueAtPercentile(99) / 1000.0 : Double.NaN,
          queued.getOrDefault(e.getKey(), 0)});
      while (s.samples.size() > keep) {
        s.samples.removeFirst();
      }
      s.lastTick = epochMillis;
      s.answered = 0;
      s.errors = 0;
      s.latency.reset();
    }
  }

  /**
   * {@code {"<service>": {"t": [...], "rps": [...], "errorsPerSecond": [...], "p50Ms": [...],
   * "p95Ms": [...], "p99Ms": [...], "queued": [...]}}}, oldest first; a second without answers
   * has {@code null} percentiles.
   */
  public synchronized JsonObject toJson() {
    String[] names = {"t", "rps", "errorsPerSecond", "p50Ms", "p95Ms", "p99Ms", "queued"};
    JsonObject out = new JsonObject();
    services.forEach((name, s) -> {
      JsonArray[] columns = new JsonArray[names.length];
      for (int i = 0; i < names.length; i++) {
        columns[i] = new JsonArray();
      }
      for (double[] sample : s.samples) {
        for (int i = 0; i < names.length; i++) {
          columns[i].add(Double.isNaN(sample[i]) ? null : Math.round(sample[i] * 1000) / 1000.0);
        }
      }
      JsonObject one = new JsonObject();
      for (int i = 0; i < names.length; i++) {
        one.put(names[i], columns[i]);
      }
      out.put(name, one);
    });
    return out;
  }

  private Series series(String service) {
    return services.computeIfAbsent(service, k -> new Series());
  }

  private static final class Series {
    /** Microseconds, up to ten minutes, three significant digits. */
    final Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    final ArrayDeque<double[]> samples = new ArrayDeque<>();
    long answered;
    long errors;
    long lastTick;
  }
}
