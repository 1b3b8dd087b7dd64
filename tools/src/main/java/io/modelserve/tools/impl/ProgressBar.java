package io.modelserve.tools.impl;

import java.io.PrintStream;

/** A one-line progress bar redrawn in place with a carriage return. */
final class ProgressBar {

  private static final int WIDTH = 30;

  private final PrintStream out;
  private boolean drawn;

  ProgressBar(PrintStream out) {
    this.out = out;
  }

  /** E.g. {@code [###############               ] 52% 5200/10000}. */
  static String render(double fraction, String detail) {
    double f = Math.max(0, Math.min(1, fraction));
    int filled = (int) Math.round(f * WIDTH);
    return "[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
        + String.format("%3d%% ", (int) Math.floor(f * 100)) + detail;
  }

  void draw(double fraction, String detail) {
    out.print("\r" + render(fraction, detail));
    out.flush();
    drawn = true;
  }

  /** Leaves the last bar on screen and moves to a fresh line, if anything was drawn. */
  void end(double fraction, String detail) {
    if (drawn) {
      draw(fraction, detail);
      out.println();
      out.flush();
    }
  }
}
