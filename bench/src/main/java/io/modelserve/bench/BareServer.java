package io.modelserve.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The overhead baseline: a bare Vert.x HTTP server on one event loop, as the controller has,
 * answering every request with the bytes the echo service gave (read from a file), so the two
 * sides send and parse exactly the same response. No router, no cluster, no worker.
 *
 * <p>Usage: {@code BareServer <port> <body file> <content type>}.
 */
public final class BareServer {

  private BareServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Buffer body = Buffer.buffer(Files.readAllBytes(Path.of(args[1])));
    String contentType = args[2];
    Vertx vertx = Vertx.vertx();
    vertx.createHttpServer()
        .requestHandler(req -> req.response().putHeader("content-type", contentType)
            .putHeader("X-Model-Serve-Worker", "bare").end(body))
        .listen(port, "127.0.0.1")
        .onSuccess(s -> System.out.println("bare server listening on " + s.actualPort()))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }
}
