package io.modelserve.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling a URL until it answers 200: how the suite times start-up and waits for servers. */
final class Http {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Http() {}

  /** The status of a GET, or -1 when nothing answered. */
  static int status(String url) {
    try {
      return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Polls every 10 ms until {@code url} answers 200 and returns the milliseconds it took;
   * fails when {@code alive} turns false or after {@code timeoutSeconds}.
   */
  static double awaitOk(String url, long timeoutSeconds, BooleanSupplier alive) {
    long start = System.nanoTime();
    long deadline = start + timeoutSeconds * 1_000_000_000L;
    while (status(url) != 200) {
      if (!alive.getAsBoolean()) {
        throw new IllegalStateException("the server behind " + url + " exited");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(url + " did not answer 200 within " + timeoutSeconds + " s");
      }
      Sleep.millis(10);
    }
    return (System.nanoTime() - start) / 1e6;
  }
}
