package io.modelserve;

/**
 * Thrown by a model (or by {@link ApiRequest#json()}) to answer a specific HTTP status with a
 * JSON error body instead of a 500.
 */
public class ApiException extends RuntimeException {

  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** A 400 Bad Request: the client sent something the model cannot use. */
  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  public int status() {
    return status;
  }
}
