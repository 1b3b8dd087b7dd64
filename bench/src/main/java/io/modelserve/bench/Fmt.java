package io.modelserve.bench;

import java.util.Locale;

/** Number formats of the report, one per unit. */
final class Fmt {

  private Fmt() {}

  static String rps(double v) {
    return String.format(Locale.ROOT, "%.1f req/s", v);
  }

  static String ms(double v) {
    return String.format(Locale.ROOT, "%.2f ms", v);
  }

  static String us(double v) {
    return String.format(Locale.ROOT, "%.0f µs", v);
  }

  static String mib(double v) {
    return String.format(Locale.ROOT, "%.0f MiB", v);
  }

  static String ratio(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f%%", v * 100);
  }

  /** A difference with its sign: "+12 µs", "-3 µs". */
  static String signed(String formatted) {
    return formatted.startsWith("-") ? formatted : "+" + formatted;
  }

  static String num(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
