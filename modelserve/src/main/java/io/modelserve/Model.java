package io.modelserve;

/**
 * A model served by Model Serve: its set-up and its inference, nothing about HTTP or clusters.
 *
 * <p>A worker creates one instance (public no-argument constructor), calls
 * {@link #init(String, Settings)} once on its device thread, and only then announces itself to
 * the cluster. {@link #inference} is called on the device's threads, never on an event loop, by
 * default one call at a time (see {@link Api#concurrency()}). {@link #close()} is called on a
 * device thread once the worker has drained (or when {@code init} failed), after the last
 * inference has ended.
 *
 * <p>A model that gains from running several requests at once implements {@link BatchModel}.
 */
public interface Model {

  /**
   * Loads the model. The original tool's form: override this one, or
   * {@link #init(String, Settings)} when the model has settings.
   *
   * @param device {@code "0"}, {@code "1"}, ... for a GPU index, or {@code "cpu"}
   */
  default void init(String device) throws Exception {}

  /**
   * Loads the model with the service's settings ({@code --set key=value} on the worker's
   * command line). By default calls {@link #init(String)}.
   */
  default void init(String device, Settings settings) throws Exception {
    init(device);
  }

  /**
   * Answers one request. Throwing {@link ApiException} answers its status; any other exception
   * answers 500 with its message. The worker keeps serving either way.
   */
  ApiResponse inference(ApiRequest request) throws Exception;

  /**
   * Releases what {@code init} took (native sessions, files). Called once, on a device thread,
   * after the last inference, when the worker stops or when {@code init} failed (so it may find
   * the model half set up). Exceptions are logged. Does nothing by default.
   */
  default void close() throws Exception {}
}
