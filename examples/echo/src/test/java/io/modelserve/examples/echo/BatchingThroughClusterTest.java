package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A batching service through real controller and worker JVMs. */
class BatchingThroughClusterTest {

  static JsonObject worker(LocalCluster c, String service) {
    return Http.json(c.get("/_/status")).getJsonObject("services").getJsonObject(service)
        .getJsonArray("workers").getJsonObject(0);
  }

  @Test
  void underLoadRequestsShareBatchesAndTheStatusShowsIt() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      c.startWorker("sim-batch", "cpu", "--set", "ms=20");
      assertEquals(1, Http.json(c.get("/sim-batch")).getInteger("batch"), "a lone request runs alone, at once");
      try (Load load = Load.start(c, "/sim-batch", 800, 16)) {
        load.await(Duration.ofSeconds(120));
        assertEquals(800, load.count(200), load.toString());
      }
      JsonObject w = worker(c, "sim-batch");
      assertEquals(8, w.getInteger("maxBatchSize"), w.encode());
      assertEquals(8, w.getInteger("capacity"), w.encode());
      assertTrue(w.getDouble("meanBatchSize") > 2, "16 clients on batches of up to 8: " + w.encode());
      assertTrue(w.getLong("batches") < 801, w.encode());
    }
  }

  @Test
  void oneItemAskedToFailIsAnsweredAloneWhileItsBatchIsServed() throws Exception {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      c.startWorker("sim-batch", "cpu", "--set", "ms=200");
      var answers = IntStream.range(0, 6).mapToObj(i -> c.httpClient().sendAsync(
          java.net.http.HttpRequest.newBuilder(c.uri(i == 3 ? "/sim-batch?fail=1" : "/sim-batch")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString())).toList();
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);
      for (int i = 0; i < 6; i++) {
        var r = answers.get(i).get();
        assertEquals(i == 3 ? 400 : 200, r.statusCode(), r.body());
      }
      assertTrue(Http.json(answers.get(3).get()).getString("error").contains("asked to fail"));
    }
  }

  @Test
  void theBatchSizeIsAnOptionOfTheWorker() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      c.startWorker("sim-batch", "cpu", "--max-batch-size", "1", "--set", "ms=5");
      try (Load load = Load.start(c, "/sim-batch", 200, 8)) {
        load.await(Duration.ofSeconds(60));
        assertEquals(200, load.count(200), load.toString());
      }
      JsonObject w = worker(c, "sim-batch");
      assertEquals(1, w.getInteger("maxBatchSize"), w.encode());
      assertEquals(1.0, w.getDouble("meanBatchSize"), w.encode());
    }
  }

  @Test
  void aModelThatDoesNotBatchRefusesABatchSize() {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).start()) {
      LocalCluster.Node worker = c.launch("sim-batched", List.of("--worker", "--name", "sim", "--port", "0",
          "--controller-addr", "http://127.0.0.1:" + c.controllerPort(), "--cluster-config", c.clusterConfig().toString(),
          "--max-batch-size", "4"));
      assertTrue(worker.awaitExit(Duration.ofSeconds(60)), "the worker refused to start");
      assertNotEquals(0, worker.process().exitValue());
      assertTrue(worker.logText().contains("does not implement BatchModel"), worker.logText());
    }
  }
}
