package io.modelserve;

/**
 * A model served by Model Serve: its set-up and its inference, nothing about HTTP or clusters.
 *
 * <p>A worker creates one instance (public no-argument constructor), calls {@link #init} once
 * on its device thread, and only then announces itself to the cluster. {@link #inference} is
 * called on the device's threads, never on an event loop, by default one call at a time
 * (see {@link Api#concurrency()}).
 */
public interface Model {

  /**
   * Loads the model.
   *
   * @param device {@code "0"}, {@code "1"}, ... for a GPU index, or {@code "cpu"}
   */
  void init(String device) throws Exception;

  /**
   * Answers one request. Throwing {@link ApiException} answers its status; any other exception
   * answers 500 with its message. The worker keeps serving either way.
   */
  ApiResponse inference(ApiRequest request) throws Exception;
}
