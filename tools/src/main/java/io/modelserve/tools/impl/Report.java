package io.modelserve.tools.impl;

import io.modelserve.tools.LoadMode;
import io.modelserve.tools.LoadResult;
import java.util.Locale;
import java.util.Map;

/** The load tester's human-readable summary. */
public final class Report {

  private Report() {}

  public static String format(LoadResult r, String target) {
    StringBuilder out = new StringBuilder();
    line(out, "target", target);
    line(out, "mode", r.mode() == LoadMode.OPEN_LOOP
        ? String.format(Locale.ROOT, "open-loop at %.1f requests/s, up to %d connections"
            + " (latency from the scheduled send time)", r.rate(), r.concurrency())
        : String.format(Locale.ROOT, "closed-loop, %d concurrent clients", r.concurrency()));
    if (r.warmupRequests() > 0) {
      line(out, "warm-up", String.format(Locale.ROOT, "%.1f s, %d requests, not in the numbers below",
          r.warmupSeconds(), r.warmupRequests()));
    }
    line(out, "total time", String.format(Locale.ROOT, "%.3f s", r.durationSeconds()));
    line(out, "requests", Long.toString(r.requests()));
    line(out, "successful", Long.toString(r.ok()));
    line(out, "failed", Long.toString(r.failed()));
    for (Map.Entry<String, Long> kind : r.failuresByKind().entrySet()) {
      line(out, "  " + kind.getKey(), Long.toString(kind.getValue()));
    }
    if (r.ok() == 0) {
      // a rate of refusals and latencies of nothing would read as a measurement
      line(out, "requests/s", "none: no request succeeded");
      line(out, "latency (ms)", "none: no request succeeded");
      return out.toString();
    }
    line(out, "requests/s", r.failed() == 0 ? String.format(Locale.ROOT, "%.1f", r.rps())
        : String.format(Locale.ROOT, "%.1f (%.1f successful)", r.rps(), r.rps() * r.ok() / r.requests()));
    line(out, "latency (ms)", String.format(Locale.ROOT,
        "p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  mean %.2f (successful requests)",
        r.p50Ms(), r.p90Ms(), r.p99Ms(), r.p999Ms(), r.maxMs(), r.meanMs()));
    return out.toString();
  }

  private static void line(StringBuilder out, String label, String value) {
    out.append(String.format(Locale.ROOT, "%-22s %s%n", label + ":", value));
  }
}
