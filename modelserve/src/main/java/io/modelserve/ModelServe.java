package io.modelserve;

import io.modelserve.impl.cli.Launcher;
import java.io.PrintWriter;

/**
 * Entry point of a model's main class:
 *
 * <pre>{@code
 * public static void main(String[] args) { ModelServe.runServerWithArgs(args); }
 * }</pre>
 *
 * Run with {@code --controller --port 8888} for the controller, or with
 * {@code --worker --name NAME --device 0 --controller-addr URL} for a worker; {@code --help}
 * lists every flag. The {@code @Api} classes are found in the calling class's package (and
 * below), else anywhere on the class path.
 */
public final class ModelServe {

  private ModelServe() {}

  /**
   * Starts a controller or a worker and returns once it serves; the JVM then lives until it is
   * stopped (SIGTERM drains a worker first). Bad arguments print one line and exit with 2.
   */
  public static void runServerWithArgs(String[] args) {
    Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = Launcher.start(args, caller, out, err);
    if (code != Launcher.SERVING) {
      out.flush();
      err.flush();
      System.exit(code);
    }
  }
}
