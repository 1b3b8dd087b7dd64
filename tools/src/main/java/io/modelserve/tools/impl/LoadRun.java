package io.modelserve.tools.impl;

import io.modelserve.tools.LoadMode;
import io.modelserve.tools.LoadOptions;
import io.modelserve.tools.LoadResult;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One phase of a load test (the warm-up or the measured run), driven from one Vert.x
 * context. Every callback runs on that context's thread, so the counters and the histogram
 * need no locking; the network work is spread over the client's event loops.
 */
public final class LoadRun {

  private static final long PROGRESS_PERIOD_MS = 250;

  private final Vertx vertx;
  private final HttpClient client;
  private final PreparedRequest request;
  private final LoadMode mode;
  private final int concurrency;
  private final long limit;
  private final long durationNanos;
  private final double rate;
  private final ProgressBar progress;
  private final Promise<LoadResult> result = Promise.promise();

  private final Histogram latencyMicros = new Histogram(3);
  private final Map<String, Long> failures = new TreeMap<>();
  private long startNanos;
  private long issued;
  private long completed;
  private long ok;
  private boolean issuingDone;
  private boolean finished;
  private long scheduleTimer = -1;
  private long progressTimer = -1;

  private LoadRun(Vertx vertx, HttpClient client, PreparedRequest request, LoadMode mode,
      int concurrency, long limit, double durationSeconds, double rate, ProgressBar progress) {
    this.vertx = vertx;
    this.client = client;
    this.request = request;
    this.mode = mode;
    this.concurrency = concurrency;
    this.limit = limit;
    this.durationNanos = (long) (durationSeconds * 1e9);
    this.rate = rate;
    this.progress = progress;
  }

  /** The measured phase, as the options describe it. */
  public static LoadRun measured(Vertx vertx, HttpClient client, PreparedRequest request, LoadOptions o) {
    return new LoadRun(vertx, client, request, o.mode(), o.concurrency(), o.requests(),
        o.durationSeconds(), o.rate(), o.progress() ? new ProgressBar(System.err) : null);
  }

  /** One window of the warm-up by time: closed loop for {@code seconds}, not reported. */
  public static LoadRun window(Vertx vertx, HttpClient client, PreparedRequest request, LoadOptions o, double seconds) {
    return new LoadRun(vertx, client, request, LoadMode.CLOSED_LOOP, o.concurrency(), Long.MAX_VALUE, seconds, 0, null);
  }

  /** The warm-up: closed loop whatever the mode, since it only has to open connections and heat the JIT. */
  public static LoadRun warmup(Vertx vertx, HttpClient client, PreparedRequest request, LoadOptions o) {
    return new LoadRun(vertx, client, request, LoadMode.CLOSED_LOOP, o.concurrency(), o.warmup(),
        0, 0, null);
  }

  /** Starts on {@code context}; the future completes once every request sent has ended. */
  public Future<LoadResult> start(Context context) {
    context.runOnContext(v -> begin());
    return result.future();
  }

  private void begin() {
    startNanos = System.nanoTime();
    if (progress != null) {
      progressTimer = vertx.setPeriodic(PROGRESS_PERIOD_MS, id -> drawProgress(false));
    }
    if (mode == LoadMode.OPEN_LOOP) {
      // Vert.x timers tick at most every millisecond; each tick sends all that fell due,
      // so a rate above 1000/s goes out in small bursts that keep the average schedule.
      scheduleTimer = vertx.setPeriodic(1, id -> sendDue());
      sendDue();
    } else {
      int clients = 0;
      while (clients < concurrency && sendNextClosed()) {
        clients++;
      }
      finishIfDone();
    }
  }

  private boolean sendNextClosed() {
    long now = System.nanoTime();
    boolean more = durationNanos > 0 ? now - startNanos < durationNanos : issued < limit;
    if (!more) {
      issuingDone = true;
      return false;
    }
    send(now);
    return true;
  }

  private void sendDue() {
    long now = System.nanoTime();
    while (!issuingDone) {
      long offset = (long) (issued * 1e9 / rate);
      if (durationNanos > 0 ? offset >= durationNanos : issued >= limit) {
        issuingDone = true;
        vertx.cancelTimer(scheduleTimer);
        finishIfDone();
        return;
      }
      long intended = startNanos + offset;
      if (intended - now > 0) {
        return;
      }
      send(intended);
    }
  }

  /**
   * Sends one request and counts it from {@code fromNanos}: the actual send time in the
   * closed loop, the scheduled time in the open loop.
   */
  private void send(long fromNanos) {
    issued++;
    request.send(client)
        .compose(response -> response.end().map(v -> response.statusCode()))
        .onComplete(answer -> ended(answer, fromNanos));
  }

  private void ended(AsyncResult<Integer> answer, long fromNanos) {
    long now = System.nanoTime();
    completed++;
    if (answer.succeeded() && Failures.isSuccess(answer.result())) {
      ok++;
      latencyMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(now - fromNanos)));
    } else {
      String kind = answer.succeeded() ? Failures.ofStatus(answer.result()) : Failures.of(answer.cause());
      failures.merge(kind, 1L, Long::sum);
    }
    if (mode == LoadMode.CLOSED_LOOP && !issuingDone) {
      sendNextClosed();
    }
    finishIfDone();
  }

  private void finishIfDone() {
    if (finished || !issuingDone || completed < issued) {
      return;
    }
    finished = true;
    long endNanos = System.nanoTime();
    if (progressTimer >= 0) {
      vertx.cancelTimer(progressTimer);
      drawProgress(true);
    }
    result.complete(summarise((endNanos - startNanos) / 1e9));
  }

  private LoadResult summarise(double seconds) {
    long failed = completed - ok;
    Histogram h = latencyMicros;
    boolean any = h.getTotalCount() > 0;
    return new LoadResult(mode, completed, concurrency, mode == LoadMode.OPEN_LOOP ? rate : 0,
        seconds, ok, failed, new TreeMap<>(failures),
        seconds > 0 ? completed / seconds : 0,
        any ? millis(h.getValueAtPercentile(50)) : 0,
        any ? millis(h.getValueAtPercentile(90)) : 0,
        any ? millis(h.getValueAtPercentile(99)) : 0,
        any ? millis(h.getValueAtPercentile(99.9)) : 0,
        any ? millis(h.getMaxValue()) : 0,
        any ? h.getMean() / 1000.0 : 0, 0, 0);
  }

  private static double millis(long micros) {
    return micros / 1000.0;
  }

  private void drawProgress(boolean last) {
    double fraction;
    String detail;
    if (durationNanos > 0) {
      double elapsed = (System.nanoTime() - startNanos) / 1e9;
      double total = durationNanos / 1e9;
      fraction = last ? 1 : elapsed / total;
      detail = String.format("%.1f/%.0f s, %d done", Math.min(elapsed, total), total, completed);
    } else {
      fraction = (double) completed / limit;
      detail = completed + "/" + limit;
    }
    if (last) {
      progress.end(fraction, detail);
    } else {
      progress.draw(fraction, detail);
    }
  }
}
