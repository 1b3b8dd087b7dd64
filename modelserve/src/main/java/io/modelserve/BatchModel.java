package io.modelserve;

import java.util.List;

/**
 * A model that answers several requests in one call: the worker hands it everything that waits
 * when the device frees, up to {@link Api#maxBatchSize()}, and a lone request at once (unless
 * {@link Api#maxBatchDelayMs()} asks to wait for company).
 *
 * <pre>{@code
 * @Api(name = "embeddings", maxBatchSize = 32)
 * public class Embeddings implements BatchModel {
 *   public List<ApiResponse> inferenceBatch(List<ApiRequest> requests) {
 *     float[][] vectors = encoder.embed(texts(requests)); // one padded batch on the device
 *     return Arrays.stream(vectors).map(ApiResponse::json).toList();
 *   }
 * }
 * }</pre>
 *
 * <p>The answer for one item may be an error of its own ({@link ApiResponse#error}); the others
 * are answered normally. When the whole call throws, the worker runs each item of that batch
 * again alone, so that only the items that fail by themselves get an error.
 */
public interface BatchModel extends Model {

  /**
   * Answers {@code requests}: one answer per request, in the same order. Called on a device
   * thread with at least one request and at most the service's batch size.
   */
  List<ApiResponse> inferenceBatch(List<ApiRequest> requests) throws Exception;

  /** A batch of one. */
  @Override
  default ApiResponse inference(ApiRequest request) throws Exception {
    return inferenceBatch(List.of(request)).get(0);
  }
}
