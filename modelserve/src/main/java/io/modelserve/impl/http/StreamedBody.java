package io.modelserve.impl.http;

import io.vertx.core.http.HttpServerResponse;

/**
 * A streamed answer's body as the HTTP front sees it: once the status and headers are set, it
 * takes the response and writes its chunks as they come, ending it (or closing the connection)
 * itself. The writer of an {@code ApiResponse.stream} answer on the controller.
 */
public interface StreamedBody {

  /** Writes the body into {@code out}, whose status and headers are set; {@code out} may already be closed. */
  void attach(HttpServerResponse out);
}
