package io.modelserve.impl.http;

/**
 * What one request may carry: {@code maxBodyBytes} of body (413 beyond) and {@code maxFields}
 * query parameters (414 beyond), url-encoded form fields or multipart parts (413 beyond).
 * Nothing beyond a limit is ever dropped silently.
 */
public record BodyLimits(long maxBodyBytes, int maxFields) {

  public BodyLimits {
    if (maxBodyBytes <= 0 || maxFields <= 0) {
      throw new IllegalArgumentException("limits must be positive: " + maxBodyBytes + ", " + maxFields);
    }
  }
}
