package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.options.ClusterOptions;
import io.modelserve.server.Serving;
import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A controller and a worker started from code in this test's own JVM, then stopped by close(). */
class EmbeddedTest {

  @Test
  void anApplicationStartsAControllerAndAWorkerAndStopsThem() throws Exception {
    // a cluster name of its own, as LocalCluster makes one: no other test's nodes join it
    LocalCluster names = LocalCluster.builder(Main.class.getName()).create();
    ClusterOptions cluster = new ClusterOptions().setConfigFile(names.clusterConfig().toString());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Serving[] nodes = Embedded.start(0, cluster);
    URI echo;
    try {
      int port = nodes[1].port();
      assertTrue(port > 0, "a port was chosen");
      echo = URI.create("http://127.0.0.1:" + port + "/echo?text=embedded");
      Poll.until(Duration.ofSeconds(30), "the embedded worker answers", () -> send(http, echo).statusCode() == 200);
      HttpResponse<String> r = send(http, echo);
      assertTrue(r.body().contains("embedded"), r.body());
      assertTrue(nodes[0].port() > 0, "the worker's own port");
    } finally {
      for (Serving node : nodes) {
        node.close();
      }
      names.close();
    }
    URI closed = echo;
    assertThrows(ConnectException.class, () -> http.send(HttpRequest.newBuilder(closed).build(),
        HttpResponse.BodyHandlers.ofString()), "the controller's port is closed");
    // closing twice is harmless
    nodes[1].close();
  }

  private static HttpResponse<String> send(HttpClient http, URI uri) {
    try {
      return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
