package io.modelserve.bench;

/** Sleeping between polls, turning an interrupt into a stop of the scenario. */
final class Sleep {

  private Sleep() {}

  static void millis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: the scenario ran out of time", e);
    }
  }
}
