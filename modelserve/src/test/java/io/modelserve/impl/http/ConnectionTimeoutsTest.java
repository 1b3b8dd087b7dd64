package io.modelserve.impl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watcher lets an answered response go when the next request on its connection arrives:
 * held until the periodic sweep, every request outlived a young collection in the controller.
 */
class ConnectionTimeoutsTest {

  Vertx vertx;
  ConnectionTimeouts watcher;
  io.vertx.core.Context serverContext;
  int port;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    vertx.deployVerticle(new AbstractVerticle() {
      @Override
      public void start(Promise<Void> started) {
        serverContext = context;
        HttpServer server = vertx.createHttpServer();
        // sweeps a minute apart: only the next request can let an answer go during the test
        watcher = ConnectionTimeouts.watch(vertx, server, 240_000, 240_000, req -> req.response().end("ok"));
        server.requestHandler(watcher.handler()).listen(0, "127.0.0.1").onSuccess(s -> {
          listening.complete(s.actualPort());
          started.complete();
        }).onFailure(started::fail);
      }
    });
    port = listening.get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aKeptAliveConnectionHoldsOnlyItsLastResponse() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < 200; i++) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x" + i)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
    }
    CompletableFuture<Integer> held = new CompletableFuture<>();
    // read on the server's event loop, where the handlers change it
    serverContext.runOnContext(v -> held.complete(watcher.responsesHeld()));
    int n = held.get(10, TimeUnit.SECONDS);
    // one connection (HttpClient keeps it alive), so one response: the last
    assertTrue(n >= 1 && n <= 2, "responses held after 200 sequential requests: " + n);
  }
}
