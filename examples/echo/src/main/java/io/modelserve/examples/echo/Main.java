package io.modelserve.examples.echo;

import io.modelserve.ModelServe;

/** Serves {@code echo} and {@code sim}: {@code --controller ...} or {@code --worker --name echo ...}. */
public final class Main {
  public static void main(String[] args) {
    ModelServe.runServerWithArgs(args);
  }
}
