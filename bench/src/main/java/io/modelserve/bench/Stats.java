package io.modelserve.bench;

import io.modelserve.tools.LoadResult;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Medians over rounds: one noisy round on a shared machine should not move a figure. */
final class Stats {

  private Stats() {}

  static double median(List<LoadResult> runs, ToDoubleFunction<LoadResult> field) {
    return median(runs.stream().mapToDouble(field).toArray());
  }

  static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
