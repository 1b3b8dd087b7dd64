package io.modelserve.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * The streaming baseline: a bare Vert.x HTTP server on one event loop that answers
 * {@code GET /stream?n=N&size=S} with the Server-Sent Events the echo example's stream service
 * writes with {@code ms=0} (event i is {@code data: i} and S padding characters), as fast as the
 * connection takes them: it writes until the connection's queue is full and goes on when it drains.
 *
 * <p>Usage: {@code BareSseServer <port>}.
 */
public final class BareSseServer {

  private BareSseServer() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    vertx.createHttpServer()
        .requestHandler(BareSseServer::stream)
        .listen(port, "127.0.0.1")
        .onSuccess(s -> System.out.println("bare SSE server listening on " + s.actualPort()))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  private static void stream(HttpServerRequest req) {
    long n = Long.parseLong(orElse(req.getParam("n"), "10"));
    int size = Integer.parseInt(orElse(req.getParam("size"), "0"));
    String padding = size > 0 ? " " + "x".repeat(size) : "";
    HttpServerResponse resp = req.response().setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8").putHeader("cache-control", "no-cache");
    new Object() {
      long next;

      void pump() {
        while (next < n && !resp.writeQueueFull()) {
          resp.write(Buffer.buffer(("data: " + next++ + padding + "\n\n").getBytes(StandardCharsets.UTF_8)));
        }
        if (next < n) {
          resp.drainHandler(v -> pump());
        } else {
          resp.end();
        }
      }
    }.pump();
  }

  private static String orElse(String v, String otherwise) {
    return v == null ? otherwise : v;
  }
}
