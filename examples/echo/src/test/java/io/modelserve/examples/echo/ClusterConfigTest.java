package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The repository's cluster.xml is the configuration in force, and a worker's own port serves. */
class ClusterConfigTest {

  @Test
  void withoutAFlagTheRepositoryClusterXmlIsInForce() {
    Path repo = LocalCluster.repoRoot();
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).workDir(repo).create()) {
      // no --cluster-config: the node takes ./cluster.xml of its working directory, the repository's
      c.launch("controller", List.of("--controller", "--port", "" + c.controllerPort(),
          "--controller-addr", "http://127.0.0.1:" + c.controllerPort()));
      Poll.until(Duration.ofSeconds(90), "controller up", () -> {
        try {
          return c.get("/_/health").statusCode() == 200;
        } catch (RuntimeException e) {
          return false;
        }
      });
      JsonObject cluster = Http.json(c.get("/_/status")).getJsonObject("cluster");
      assertEquals(repo.resolve("cluster.xml").toString(), cluster.getString("config"));
      assertEquals("modelserve", cluster.getString("name"));
    }
  }

  @Test
  void aWorkerWithAnotherClusterNameNeverJoins() throws Exception {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      Path other = c.logDir().resolve("other-cluster.xml");
      Files.writeString(other, Files.readString(c.clusterConfig()).replace(c.clusterName(), c.clusterName() + "-other"));
      int port = LocalCluster.freePort();
      LocalCluster.Node stranger = c.launch("stranger", List.of("--worker", "--name", "echo", "--port", "" + port,
          "--controller-addr", "http://127.0.0.1:" + c.controllerPort(), "--cluster-config", other.toString()));
      URI health = URI.create("http://127.0.0.1:" + port + "/_/health");
      Poll.until(Duration.ofSeconds(90), "the stranger serves on its own", () -> {
        try {
          return Http.json(c.send(HttpRequest.newBuilder(health).build())).getString("status").equals("serving");
        } catch (RuntimeException e) {
          return false;
        }
      });
      // it formed a cluster of its own, and the controller's has only the controller
      JsonObject own = Http.json(c.send(HttpRequest.newBuilder(health).build())).getJsonObject("cluster");
      assertEquals(1, own.getInteger("members"));
      assertEquals(c.clusterName() + "-other", own.getString("name"));
      assertEquals(0, c.liveWorkers("echo"));
      // a controller alone in its cluster cannot tell a missing service from unmerged workers; within
      // its start-up grace it says so in other words, 503 all the same
      var seen = new java.util.concurrent.atomic.AtomicReference<HttpResponse<String>>();
      Poll.until(Duration.ofSeconds(30), "the controller's grace is over", () -> {
        var reply = c.get("/echo");
        assertEquals(503, reply.statusCode(), reply.body());
        seen.set(reply);
        return Http.json(reply).getString("error").contains("alone in its cluster");
      });
      var answer = seen.get();
      assertEquals("1", answer.headers().firstValue("retry-after").orElse(""));
      JsonObject cluster = Http.json(c.get("/_/status")).getJsonObject("cluster");
      assertEquals(1, cluster.getInteger("members"));
      stranger.kill();
    }
  }

  @Test
  void aWorkersOwnPortAnswersHealthAndDirectCalls() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      LocalCluster.Node worker = c.startWorker("echo");
      URI direct = URI.create("http://127.0.0.1:" + worker.httpPort());
      JsonObject health = Http.json(c.send(HttpRequest.newBuilder(direct.resolve("/_/health")).build()));
      assertEquals("serving", health.getString("status"));
      assertEquals("echo", health.getString("service"));
      HttpResponse<String> call = c.send(HttpRequest.newBuilder(direct.resolve("/echo?via=worker")).build());
      assertEquals("worker", Http.json(call).getJsonObject("query").getJsonArray("via").getString(0));
      HttpResponse<String> other = c.send(HttpRequest.newBuilder(direct.resolve("/elsewhere")).build());
      assertEquals(404, other.statusCode());
      assertFalse(other.body().isEmpty());
      assertTrue(Http.json(c.get("/_/status")).getJsonObject("services").containsKey("echo"));
    }
  }
}
