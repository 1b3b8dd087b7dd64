package io.modelserve.tools;

import java.util.Objects;

/**
 * How much load to send, and how: the request, its count or a duration, the number of
 * concurrent connections, warm-up requests and, for open-loop runs, the arrival rate.
 *
 * <p>Immutable; make one with {@link #builder(RequestSpec)}, derive changed copies with
 * {@link #toBuilder()}.
 */
public final class LoadOptions {

  public static final long DEFAULT_REQUESTS = 1000;
  public static final int DEFAULT_CONCURRENCY = 10;
  /** Zero: the run is bounded by the request count, not by time. */
  public static final double DEFAULT_DURATION_SECONDS = 0;
  public static final long DEFAULT_WARMUP = 0;
  /** Zero: closed loop. A positive rate selects the open loop. */
  /** One event loop for the connections: no hand-off between threads per answer. */
  public static final int DEFAULT_EVENT_LOOPS = 1;
  /** The library's default: no warm-up by time (the command line's is {@code 3}). */
  public static final double DEFAULT_WARMUP_SECONDS = 0;
  public static final double DEFAULT_RATE = 0;
  public static final boolean DEFAULT_PROGRESS = false;

  private final RequestSpec request;
  private final long requests;
  private final int concurrency;
  private final double durationSeconds;
  private final long warmup;
  private final double warmupSeconds;
  private final int eventLoops;
  private final double rate;
  private final boolean progress;

  private LoadOptions(Builder b) {
    this.request = b.request;
    this.requests = b.requests;
    this.concurrency = b.concurrency;
    this.durationSeconds = b.durationSeconds;
    this.warmup = b.warmup;
    this.warmupSeconds = b.warmupSeconds;
    this.eventLoops = b.eventLoops;
    this.rate = b.rate;
    this.progress = b.progress;
  }

  public static Builder builder(RequestSpec request) {
    return new Builder(request);
  }

  public Builder toBuilder() {
    return new Builder(request)
        .requests(requests)
        .concurrency(concurrency)
        .durationSeconds(durationSeconds)
        .warmup(warmup)
        .warmupSeconds(warmupSeconds)
        .eventLoops(eventLoops)
        .rate(rate)
        .progress(progress);
  }

  public RequestSpec request() { return request; }

  /** Requests to measure; ignored when {@link #durationSeconds()} is positive. */
  public long requests() { return requests; }

  /** Connections in the pool, hence the most requests in flight at once. */
  public int concurrency() { return concurrency; }

  /** Seconds to keep sending; zero means "send {@link #requests()} requests". */
  public double durationSeconds() { return durationSeconds; }

  /** Requests sent, closed-loop, before measuring starts; they appear in no number. */
  public long warmup() { return warmup; }

  /**
   * Warm-up by time, after {@link #warmup()}: at least this many seconds of closed-loop load in
   * one-second windows, longer while the rate still changes (until two windows in a row agree
   * within 10 %, at most four times as long). Left out of the numbers; 0: none.
   */
  public double warmupSeconds() { return warmupSeconds; }

  /** Event loops the connections are spread over (at most one per connection). */
  public int eventLoops() { return eventLoops; }

  /** Requests per second for the open loop; zero for the closed loop. */
  public double rate() { return rate; }

  /** Whether to draw a progress bar on standard error. */
  public boolean progress() { return progress; }

  public LoadMode mode() {
    return rate > 0 ? LoadMode.OPEN_LOOP : LoadMode.CLOSED_LOOP;
  }

  /** Collects {@link LoadOptions}; {@link #build()} rejects values that make no run. */
  public static final class Builder {
    private final RequestSpec request;
    private long requests = DEFAULT_REQUESTS;
    private int concurrency = DEFAULT_CONCURRENCY;
    private double durationSeconds = DEFAULT_DURATION_SECONDS;
    private long warmup = DEFAULT_WARMUP;
    private double warmupSeconds = DEFAULT_WARMUP_SECONDS;
    private int eventLoops = DEFAULT_EVENT_LOOPS;
    private double rate = DEFAULT_RATE;
    private boolean progress = DEFAULT_PROGRESS;

    private Builder(RequestSpec request) {
      this.request = Objects.requireNonNull(request, "request");
    }

    public Builder requests(long requests) {
      this.requests = requests;
      return this;
    }

    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    public Builder durationSeconds(double durationSeconds) {
      this.durationSeconds = durationSeconds;
      return this;
    }

    public Builder warmup(long warmup) {
      this.warmup = warmup;
      return this;
    }

    public Builder warmupSeconds(double seconds) {
      this.warmupSeconds = seconds;
      return this;
    }

    public Builder eventLoops(int n) {
      this.eventLoops = n;
      return this;
    }

    public Builder rate(double rate) {
      this.rate = rate;
      return this;
    }

    public Builder progress(boolean progress) {
      this.progress = progress;
      return this;
    }

    /** @throws IllegalArgumentException for a count, concurrency or rate that makes no run */
    public LoadOptions build() {
      if (requests <= 0) {
        throw new IllegalArgumentException("--requests must be positive, got " + requests);
      }
      if (concurrency <= 0) {
        throw new IllegalArgumentException("--concurrency must be positive, got " + concurrency);
      }
      if (!(durationSeconds >= 0) || Double.isInfinite(durationSeconds)) {
        throw new IllegalArgumentException("--duration must be a positive number of seconds, got " + durationSeconds);
      }
      if (warmup < 0) {
        throw new IllegalArgumentException("--warmup cannot be negative, got " + warmup);
      }
      if (eventLoops < 1) {
        throw new IllegalArgumentException("--event-loops must be at least 1, got " + eventLoops);
      }
      if (!(warmupSeconds >= 0) || Double.isInfinite(warmupSeconds)) {
        throw new IllegalArgumentException("--warmup-seconds must be 0 or a positive number, got " + warmupSeconds);
      }
      if (!(rate >= 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException("--rate must be a positive number, got " + rate);
      }
      return new LoadOptions(this);
    }
  }
}
