package io.modelserve.bench;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.LocalCluster.Node;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A controller and workers on loopback, built on {@link LocalCluster}, where each node may run
 * on its own {@link JvmProfile}. LocalCluster applies one set of JVM flags to every node, so
 * nodes of another profile are launched through a second LocalCluster that never starts a
 * controller of its own and points them at this one's cluster file and controller.
 */
final class BenchCluster implements AutoCloseable {

  private final Example example;
  private final LocalCluster main;
  private final JvmProfile mainProfile;
  private final Map<JvmProfile, LocalCluster> launchers = new EnumMap<>(JvmProfile.class);
  private final List<Node> workers = new ArrayList<>();
  private Node controller;

  private BenchCluster(Example example, LocalCluster main, JvmProfile mainProfile) {
    this.example = example;
    this.main = main;
    this.mainProfile = mainProfile;
    launchers.put(mainProfile, main);
  }

  /** Prepares a cluster whose controller will run on {@code controllerProfile}; starts nothing. */
  static BenchCluster create(Example example, JvmProfile controllerProfile) {
    LocalCluster c = builder(example, controllerProfile).create();
    return new BenchCluster(example, c, controllerProfile);
  }

  /** Starts a cluster's controller and waits until it answers /_/health. */
  static BenchCluster start(Example example, JvmProfile controllerProfile, String... controllerArgs) {
    BenchCluster c = create(example, controllerProfile);
    try {
      c.controller = c.main.startController(controllerArgs);
    } catch (RuntimeException | Error e) {
      c.close();
      throw e;
    }
    return c;
  }

  private static LocalCluster.Builder builder(Example example, JvmProfile profile) {
    Path root = LocalCluster.repoRoot();
    return LocalCluster.builder(example.mainClass()).moduleDir(root.resolve(example.module()))
        .workDir(root).webroot(root.resolve(example.module()))
        .jvmArgs(profile.overrides());
  }

  /** Launches the controller without waiting, for start-up timing. */
  Node launchController() {
    List<String> args = List.of("--controller", "--port", "" + main.controllerPort(),
        "--controller-addr", "http://127.0.0.1:" + main.controllerPort(),
        "--cluster-config", main.clusterConfig().toString(),
        "--webroot", LocalCluster.repoRoot().resolve(example.module()).toString());
    controller = main.launch("controller", args);
    return controller;
  }

  /** Launches a worker without waiting for it to serve; {@code extraArgs} follow the usual ones. */
  Node launchWorker(String service, String device, JvmProfile profile, String... extraArgs) {
    LocalCluster launcher = launchers.computeIfAbsent(profile, p -> builder(example, p).create());
    int port = freePort();
    List<String> args = new ArrayList<>(List.of("--worker", "--name", service, "--device", device,
        "--port", "" + port, "--controller-addr", "http://127.0.0.1:" + main.controllerPort(),
        "--worker-addr", "http://127.0.0.1:" + port, "--cluster-config", main.clusterConfig().toString()));
    args.addAll(example.workerArgs(LocalCluster.repoRoot()));
    args.addAll(List.of(extraArgs));
    Node n = launcher.launch("worker-" + service + "-" + device.replace(':', '_') + "-" + workers.size(), args);
    workers.add(n);
    return n;
  }

  /** Starts {@code count} workers at once and waits until the controller routes to all of them. */
  List<Node> startWorkers(String service, String device, int count, JvmProfile profile, String... extraArgs) {
    List<Node> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      started.add(launchWorker(service, device, profile, extraArgs));
    }
    long deadline = System.nanoTime() + 180_000_000_000L;
    for (int i = 0; i < started.size(); i++) {
      Node n = started.get(i);
      int retries = 2;
      while (!routes(service, n.pid())) {
        if (!n.process().isAlive()) {
          // the free port found at launch can be taken by another process before the worker
          // binds it (the machine is shared); a fresh port usually does
          if (retries-- == 0) {
            throw new IllegalStateException("worker exited; log " + n.log());
          }
          System.out.println("[bench] worker exited at start-up (log " + n.log() + "); launching it again");
          n = launchWorker(service, device, profile, extraArgs);
          started.set(i, n);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("worker not routed to within 180 s; log " + n.log());
        }
        Sleep.millis(100);
      }
    }
    return started;
  }

  Node startWorker(String service, String device, JvmProfile profile, String... extraArgs) {
    return startWorkers(service, device, 1, profile, extraArgs).get(0);
  }

  /** Whether the controller lists a live worker of {@code service} with this pid. */
  boolean routes(String service, long pid) {
    return workersOf(service).stream().anyMatch(w -> w.pid() == pid && w.serving());
  }

  /** The workers of {@code service} as /_/status lists them. */
  List<WorkerStatus> workersOf(String service) {
    JsonObject s;
    try {
      s = new JsonObject(main.get("/_/status").body()).getJsonObject("services", new JsonObject())
          .getJsonObject(service);
    } catch (RuntimeException e) {
      return List.of();
    }
    List<WorkerStatus> out = new ArrayList<>();
    JsonArray ws = s == null ? new JsonArray() : s.getJsonArray("workers", new JsonArray());
    for (int i = 0; i < ws.size(); i++) {
      JsonObject w = ws.getJsonObject(i);
      out.add(new WorkerStatus(w.getString("id"), w.getString("device"), w.getLong("pid", -1L),
          w.getLong("served", 0L), "serving".equals(w.getString("state")), w.getInteger("httpPort", -1)));
    }
    return out;
  }

  URI uri(String pathAndQuery) {
    return main.uri(pathAndQuery);
  }

  String url(String pathAndQuery) {
    return uri(pathAndQuery).toString();
  }

  /** The controller's pid, whether started by {@link #start} or {@link #launchController}. */
  long controllerPid() {
    return controller != null ? controller.pid() : -1;
  }

  LocalCluster local() {
    return main;
  }

  JvmProfile controllerProfile() {
    return mainProfile;
  }

  List<Node> workers() {
    return List.copyOf(workers);
  }

  /** Stops every node, workers first so none waits on a vanished controller. */
  @Override
  public void close() {
    for (LocalCluster c : launchers.values()) {
      if (c != main) {
        c.close();
      }
    }
    main.close();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One worker's line of /_/status. */
  record WorkerStatus(String id, String device, long pid, long served, boolean serving, int httpPort) {}

  /**
   * A batching worker's own counters, from its {@code /_/health} (exact, where the controller's
   * {@code /_/status} lags by a heartbeat): batches run and the requests they held.
   */
  BatchCounters batchCounters(String service, long pid) {
    int port = workersOf(service).stream().filter(w -> w.pid() == pid).mapToInt(WorkerStatus::httpPort)
        .findFirst().orElseThrow(() -> new IllegalStateException("no worker of " + service + " with pid " + pid));
    JsonObject health = new JsonObject(main.send(java.net.http.HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/_/health")).GET().build()).body());
    return new BatchCounters(health.getLong("batches", 0L), health.getLong("batchedRequests", 0L));
  }

  /** Batches run and requests they held, since the worker started. */
  record BatchCounters(long batches, long requests) {

    /** The mean batch size between {@code before} and this reading. */
    double meanSince(BatchCounters before) {
      long b = batches - before.batches;
      return b == 0 ? Double.NaN : (double) (requests - before.requests) / b;
    }
  }
}
