package io.modelserve.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG charts, drawn with XChart; each returns its file name, or null with no data. */
final class Plots {

  private static final int W = 800;
  private static final int H = 500;

  private Plots() {}

  /** QPS against workers with the ideal N x 20 line, like the original tool's headline plot. */
  static String scaling(Results r, Path dir) throws IOException {
    if (r.scaling.isEmpty()) {
      return null;
    }
    XYChart chart = new XYChartBuilder().width(W).height(H).title("Scaling: simulated 50 ms model")
        .xAxisTitle("workers").yAxisTitle("requests/s").build();
    chart.getStyler().setLegendPosition(LegendPosition.InsideNW);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
    List<Double> n = r.scaling.stream().map(p -> (double) p.workers()).toList();
    chart.addSeries("ideal (N x 20)", n, r.scaling.stream().map(Results.ScalingPoint::ideal).toList())
        .setMarker(SeriesMarkers.NONE);
    chart.addSeries("measured", n, r.scaling.stream().map(Results.ScalingPoint::qps).toList())
        .setMarker(SeriesMarkers.CIRCLE);
    return save(chart, dir, "scaling");
  }

  /** Each worker's share of the requests against its ideal share, per mix. */
  static String balancing(Results r, Path dir) throws IOException {
    if (r.shares.isEmpty()) {
      return null;
    }
    CategoryChart chart = new CategoryChartBuilder().width(W).height(H).title("Balancing: share of requests per worker")
        .xAxisTitle("worker (mix: device #pid)").yAxisTitle("share of requests").build();
    chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
    chart.getStyler().setXAxisLabelRotation(20);
    List<String> names = new ArrayList<>();
    List<Double> observed = new ArrayList<>();
    List<Double> ideal = new ArrayList<>();
    for (Results.Share s : r.shares) {
      names.add(s.mix() + ": " + s.worker());
      observed.add(s.observed());
      ideal.add(s.ideal());
    }
    chart.addSeries("observed", names, observed);
    chart.addSeries("ideal", names, ideal);
    return save(chart, dir, "balancing");
  }

  /** p50 and p99 of the echo service through the cluster against the bare server. */
  static String overhead(Results r, Path dir) throws IOException {
    if (r.latency.isEmpty()) {
      return null;
    }
    CategoryChart chart = new CategoryChartBuilder().width(W).height(H).title("Overhead: echo latency")
        .xAxisTitle("load and percentile").yAxisTitle("milliseconds").build();
    chart.getStyler().setLegendPosition(LegendPosition.InsideNW);
    Map<String, List<Double>> bySide = new LinkedHashMap<>();
    List<String> categories = new ArrayList<>();
    for (Results.LatencyBar b : r.latency) {
      for (String pct : List.of("p50", "p99")) {
        String category = b.load() + " " + pct;
        if (!categories.contains(category)) {
          categories.add(category);
        }
        bySide.computeIfAbsent(b.side(), k -> new ArrayList<>()).add(pct.equals("p50") ? b.p50Ms() : b.p99Ms());
      }
    }
    bySide.forEach((side, values) -> chart.addSeries(side, categories, values));
    return save(chart, dir, "overhead");
  }

  private static String save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path dir, String name)
      throws IOException {
    BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapFormat.PNG);
    return name + ".png";
  }
}
