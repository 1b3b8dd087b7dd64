package io.modelserve.tools.impl;

import java.util.List;

/**
 * When a warm-up by time may stop: its one-second windows' rates have settled. A cold JVM on
 * either side ramps up over tens of seconds, by several percent a second, so two windows in a
 * row can agree within 10 % while the rate is still far from its end (a first run against a
 * fresh cluster measured 2.2k req/s after such a warm-up, the next 6.5k).
 */
public final class Steadiness {

  /** Windows that must agree, the last ones. */
  public static final int WINDOWS = 3;
  /** How far apart they may be, as a fraction of the largest. */
  public static final double SPREAD = 0.1;
  /** The warm-up stops at this many times its seconds even if never steady. */
  public static final int MAX_FACTOR = 10;
  /**
   * Requests a warm-up by time sends at least (within {@link #MAX_FACTOR}): HotSpot compiles a
   * method with its optimising compiler after some 10,000 to 15,000 calls, and a cold cluster's
   * rate holds still at a plateau before that, then jumps (measured: 700 req/s steady for 11 s,
   * then 2,000).
   */
  public static final long MIN_REQUESTS = 20_000;

  private Steadiness() {}

  /** Whether a warm-up of {@code requests} so far, whose windows had {@code rates}, may stop. */
  public static boolean done(long requests, List<Double> rates) {
    return requests >= MIN_REQUESTS && steady(rates);
  }

  /** Whether the last {@link #WINDOWS} rates lie within {@link #SPREAD} of the largest of them. */
  public static boolean steady(List<Double> rates) {
    int n = rates.size();
    if (n < WINDOWS) {
      return false;
    }
    double min = Double.MAX_VALUE;
    double max = 0;
    for (double r : rates.subList(n - WINDOWS, n)) {
      min = Math.min(min, r);
      max = Math.max(max, r);
    }
    return max - min <= SPREAD * max;
  }
}
