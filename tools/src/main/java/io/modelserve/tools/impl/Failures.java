package io.modelserve.tools.impl;

import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/** Names the kind of a failed request, the key under which load results count it. */
public final class Failures {

  private Failures() {}

  public static String ofStatus(int status) {
    return "HTTP " + status;
  }

  /** A short, stable name for a transport error, so that many failures group together. */
  public static String of(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
        return "timeout";
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof UnknownHostException) {
        return "unknown host";
      }
      if (t instanceof HttpClosedException) {
        return "connection closed";
      }
      if (t instanceof java.io.IOException && String.valueOf(t.getMessage()).contains("reset")) {
        return "connection reset";
      }
    }
    return error.getClass().getSimpleName();
  }

  /** Whether a status counts as success: 2xx only, as the load tester promises. */
  public static boolean isSuccess(int status) {
    return status >= 200 && status < 300;
  }
}
