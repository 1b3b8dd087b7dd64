package io.modelserve.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The numbers from one load run.
 *
 * <p>{@code requests} counts the measured requests that completed ({@code ok + failed});
 * {@code rps} divides it by {@code durationSeconds}, the time from the first send to the last
 * answer. Latencies are in milliseconds and cover the successful (2xx) requests only, so that
 * a server answering fast errors does not look faster; they are zero when none succeeded.
 * {@code failuresByKind} keys are {@code "HTTP <status>"} or a transport error such as
 * {@code "timeout"} or {@code "connection refused"}. {@code warmupSeconds} and
 * {@code warmupRequests} say what ran before, left out of every other figure.
 *
 * <p>{@link #toJson()} and {@link #fromJson(String)} use the component names as JSON fields.
 */
public record LoadResult(
    LoadMode mode,
    long requests,
    int concurrency,
    double rate,
    double durationSeconds,
    long ok,
    long failed,
    SortedMap<String, Long> failuresByKind,
    double rps,
    double p50Ms,
    double p90Ms,
    double p99Ms,
    double p999Ms,
    double maxMs,
    double meanMs,
    double warmupSeconds,
    long warmupRequests) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public LoadResult {
    failuresByKind = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(failuresByKind));
  }

  /** The result as a JSON object, indented. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a LoadResult always serialises", e);
    }
  }

  /** Reads what {@link #toJson()} wrote, e.g. a benchmark's saved result. */
  public static LoadResult fromJson(String json) {
    try {
      return JSON.readValue(json, LoadResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a load result: " + e.getOriginalMessage(), e);
    }
  }

  /** The same result, saying how long the warm-up before it ran and how many requests it sent. */
  public LoadResult withWarmup(double seconds, long requests) {
    return new LoadResult(mode, this.requests, concurrency, rate, durationSeconds, ok, failed, failuresByKind, rps,
        p50Ms, p90Ms, p99Ms, p999Ms, maxMs, meanMs, seconds, requests);
  }

  /** Failures of one kind, zero when there were none. */
  public long failures(String kind) {
    return failuresByKind.getOrDefault(kind, 0L);
  }
}
