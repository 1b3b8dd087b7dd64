package io.modelserve.options;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Options travel as JSON (deployment config, the launcher's -conf): the round trip is exact. */
class OptionsJsonTest {

  @Test
  void controllerOptionsRoundTrip() {
    ControllerOptions o = new ControllerOptions().setPort(1).setHost("h").setWebroot("w").setRequestTimeoutMs(2)
        .setMaxBodyBytes(3).setMaxFields(6).setMaxQueue(4).setWorkerTimeoutMs(5).setStartupGraceMs(8)
        .setHeaderTimeoutMs(9).setIdleTimeoutMs(10).setMaxQueueWaitMs(7).setCorsOrigins(java.util.List.of("http://a:1"))
        .setDrainTimeoutMs(13).setApiKeyFile("k").setAdminKeyFile("a")
        .setStreamFirstChunkTimeoutMs(11).setStreamChunkTimeoutMs(12).setHttpEventLoops(14);
    assertEquals(new JsonObject("{\"port\":1,\"host\":\"h\",\"webroot\":\"w\",\"requestTimeoutMs\":2,"
        + "\"maxBodyBytes\":3,\"maxFields\":6,\"headerTimeoutMs\":9,\"idleTimeoutMs\":10,\"maxQueue\":4,\"workerTimeoutMs\":5,"
        + "\"maxQueueWaitMs\":7,\"startupGraceMs\":8,\"corsOrigins\":[\"http://a:1\"],\"drainTimeoutMs\":13,\"apiKeyFile\":\"k\",\"adminKeyFile\":\"a\",\"streamFirstChunkTimeoutMs\":11,"
        + "\"streamChunkTimeoutMs\":12,\"httpEventLoops\":14}"), o.toJson());
    assertEquals(o.toJson(), new ControllerOptions(o.toJson()).toJson());
    assertEquals(o.toJson(), new ControllerOptions(o).toJson());
    assertEquals(ControllerOptions.DEFAULT_PORT, new ControllerOptions(new JsonObject()).getPort());
  }

  @Test
  void workerOptionsRoundTrip() {
    WorkerOptions o = new WorkerOptions().setName("n").setDevice("0").setPort(1).setHost("h").setConcurrency(2)
        .setHeartbeatMs(3).setDrainTimeoutMs(4).setMaxBodyBytes(5).setMaxFields(7).setRequestTimeoutMs(6)
        .setAdvertisedHost("a").setHeaderTimeoutMs(8).setIdleTimeoutMs(9).setControllerUrl("u")
        .setMaxBatchSize(10).setMaxBatchDelayMs(11).setApiKeyFile("k").setSettings(java.util.Map.of("k", "v"))
        .setStreamWindow(12).setStreamAckTimeoutMs(13);
    assertEquals(new JsonObject("{\"name\":\"n\",\"device\":\"0\",\"port\":1,\"host\":\"h\",\"concurrency\":2,"
        + "\"heartbeatMs\":3,\"drainTimeoutMs\":4,\"maxBodyBytes\":5,\"maxFields\":7,\"headerTimeoutMs\":8,\"idleTimeoutMs\":9,\"requestTimeoutMs\":6,"
        + "\"streamWindow\":12,\"streamAckTimeoutMs\":13,\"advertisedHost\":\"a\",\"controllerUrl\":\"u\",\"maxBatchSize\":10,\"apiKeyFile\":\"k\",\"maxBatchDelayMs\":11,"
        + "\"settings\":{\"k\":\"v\"}}"), o.toJson());
    assertEquals(o.toJson(), new WorkerOptions(o.toJson()).toJson());
    assertEquals(WorkerOptions.DEFAULT_DEVICE, new WorkerOptions(new JsonObject()).getDevice());
  }

  @Test
  void clusterOptionsRoundTrip() {
    ClusterOptions o = new ClusterOptions().setConfigFile("f").setHost("h").setJoinHost("j").setJoinPort(7);
    assertEquals(o.toJson(), new ClusterOptions(o.toJson()).toJson());
  }
}
