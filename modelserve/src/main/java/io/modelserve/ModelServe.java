package io.modelserve;

/** Entry point of a model's main class. */
public final class ModelServe {
  private ModelServe() {}

  public static void runServerWithArgs(String[] args) {
    throw new UnsupportedOperationException("not yet");
  }
}
