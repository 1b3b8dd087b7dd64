package io.modelserve.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.options.ControllerOptions;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --port 0} with several HTTP event loops: the first loop's server picks the port, the
 * others share it, and every connection is answered whichever loop takes it.
 */
class ControllerPortZeroTest {

  @Test
  void everyLoopServesTheOnePortPickedAtRandom(@org.junit.jupiter.api.io.TempDir Path webroot) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ControllerVerticle controller = new ControllerVerticle(new ControllerOptions().setPort(0).setHost("127.0.0.1")
          .setHttpEventLoops(3).setWebroot(webroot.toString()));
      vertx.deployVerticle(controller).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      int port = controller.port();
      assertTrue(port > 0, "port " + port);
      for (int i = 0; i < 6; i++) {
        // a client of its own each time: a new connection, so the loops take turns
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_/health"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_/status"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, status.statusCode(), status.body());
        assertTrue(status.body().contains("\"httpEventLoops\" : 3"), status.body());
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }
}
