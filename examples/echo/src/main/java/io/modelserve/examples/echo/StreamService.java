package io.modelserve.examples.echo;

import io.modelserve.Api;
import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.Model;
import io.modelserve.StreamClosedException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streamed answer for tests and benchmarks: {@code GET /stream?n=10&ms=50} sends 10
 * Server-Sent Events 50 ms apart, each {@code data: <i>} (from 0) followed by {@code size}
 * padding characters ({@code size=1000} for 1 KB events). {@code delay=ms} waits before the
 * first event, {@code gapAfter=k&gap=ms} pauses that long after event {@code k},
 * {@code fail=k} throws after event {@code k}, and {@code as=text} streams plain chunked text
 * (one line per event) instead of events.
 *
 * <p>{@code GET /stream/stats} counts, for this worker: streams started, events written
 * ({@code produced}), streams stopped because nobody read any more ({@code stopped}), and
 * streams running now ({@code active}).
 */
@Api(name = "stream", concurrency = 2)
public class StreamService implements Model {

  private static final Logger log = LoggerFactory.getLogger(StreamService.class);

  private final AtomicLong started = new AtomicLong();
  private final AtomicLong produced = new AtomicLong();
  private final AtomicLong stopped = new AtomicLong();
  private final AtomicLong active = new AtomicLong();

  @Override
  public ApiResponse inference(ApiRequest request) {
    if (request.path().equals("/stream/stats")) {
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("started", started.get());
      stats.put("produced", produced.get());
      stats.put("stopped", stopped.get());
      stats.put("active", active.get());
      return ApiResponse.json(stats);
    }
    long n = number(request, "n", 10);
    long ms = number(request, "ms", 50);
    long delay = number(request, "delay", 0);
    long size = number(request, "size", 0);
    long fail = number(request, "fail", -1);
    long gapAfter = number(request, "gapAfter", -1);
    long gap = number(request, "gap", 0);
    boolean text = "text".equals(request.query("as"));
    String padding = size > 0 ? " " + "x".repeat((int) Math.min(size, 1_000_000)) : "";
    io.modelserve.StreamWriter writer = out -> {
      started.incrementAndGet();
      active.incrementAndGet();
      try {
        Thread.sleep(delay);
        for (long i = 0; i < n; i++) {
          if (i > 0 && ms > 0) {
            Thread.sleep(ms);
          }
          if (text) {
            out.write(i + padding + "\n");
          } else {
            out.event(i + padding);
          }
          produced.incrementAndGet();
          if (i == fail) {
            throw new IllegalStateException("failed after event " + i + " as asked");
          }
          if (i == gapAfter) {
            Thread.sleep(gap);
          }
        }
      } catch (StreamClosedException e) {
        stopped.incrementAndGet();
        log.info("stream stopped after {} event(s): {}", produced.get(), e.getMessage());
        throw e;
      } finally {
        active.decrementAndGet();
      }
    };
    return text ? ApiResponse.stream("text/plain; charset=utf-8", writer) : ApiResponse.events(writer);
  }

  private static long number(ApiRequest request, String name, long otherwise) {
    String value = request.query(name);
    if (value == null) {
      return otherwise;
    }
    try {
      long v = Long.parseLong(value);
      if (v < -1) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("query parameter '" + name + "' must be a whole number >= 0, not '" + value + "'");
    }
  }
}
