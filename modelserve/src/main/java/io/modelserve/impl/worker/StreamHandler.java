package io.modelserve.impl.worker;

import io.modelserve.ApiResponse;

/**
 * Runs a streamed answer's writer on the device thread ({@link StreamSession} for a controller's
 * request). Returns the answer still to be replied, or the streamed answer itself when the
 * stream already replied (its head carried the first chunk).
 */
@FunctionalInterface
public interface StreamHandler {

  ApiResponse run(ApiResponse streamed);
}
