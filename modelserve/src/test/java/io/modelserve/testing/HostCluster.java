package io.modelserve.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Model Serve cluster spread over {@link TestHosts}: each node in a host of its own, started
 * with only the original flags ({@code --controller --port}, {@code --worker --port --name
 * --device --controller-addr --worker-addr}) and the default cluster file, as a user would on
 * separate machines. The test reaches the controller's API through a loopback port of this
 * machine ({@link TestHosts#expose}), which stays while the controller restarts.
 */
public final class HostCluster implements AutoCloseable {

  public static final int CONTROLLER_PORT = 8888;
  public static final int WORKER_PORT = 8880;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final TestHosts hosts;
  private final LocalCluster local;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<TestHosts.Host, Integer> apiPorts = new HashMap<>();
  private final List<LocalCluster.Node> nodes = new ArrayList<>();
  private TestHosts.Host controllerHost;
  private LocalCluster.Node controller;
  private int launched;

  private HostCluster(TestHosts hosts, LocalCluster local) {
    this.hosts = hosts;
    this.local = local;
  }

  /** {@code n} hosts; nothing started yet. */
  public static HostCluster create(String mainClass, int n) {
    LocalCluster local = LocalCluster.builder(mainClass).create();
    return new HostCluster(TestHosts.create(n), local);
  }

  public TestHosts hosts() {
    return hosts;
  }

  public TestHosts.Host host(int i) {
    return hosts.host(i);
  }

  /** Starts a controller on {@code h} and waits until it answers {@code /_/health}. */
  public LocalCluster.Node startController(TestHosts.Host h) {
    controllerHost = h;
    apiPorts.computeIfAbsent(h, x -> hosts.expose(x, CONTROLLER_PORT));
    LocalCluster.Node node = launch(h, "controller", List.of("--controller", "--port", "" + CONTROLLER_PORT,
        "--controller-addr", h.url(CONTROLLER_PORT)));
    controller = node;
    Poll.until(START_TIMEOUT, "controller on " + h + " answers /_/health (log " + node.log() + ")", () -> {
      node.assertAlive();
      return status(uri("/_/health")) == 200;
    });
    return node;
  }

  /** Starts a worker of {@code service} on {@code h}; waits until the controller lists it. */
  public LocalCluster.Node startWorker(TestHosts.Host h, String service, String device) {
    return startWorker(h, WORKER_PORT, service, device, List.of(controllerHost));
  }

  /**
   * Starts a worker of {@code service} on {@code h} at {@code port}, given the addresses of
   * {@code controllers}; waits until the controller started last lists it.
   */
  public LocalCluster.Node startWorker(TestHosts.Host h, int port, String service, String device,
      List<TestHosts.Host> controllers) {
    String addrs = String.join(",", controllers.stream().map(c -> c.url(CONTROLLER_PORT)).toList());
    LocalCluster.Node node = launch(h, "worker-" + service, List.of("--worker", "--port", "" + port,
        "--name", service, "--device", device, "--controller-addr", addrs,
        "--worker-addr", h.url(port)));
    Poll.until(START_TIMEOUT, "worker on " + h + " is listed (log " + node.log() + ")", () -> {
      node.assertAlive();
      return worker(node.pid()) != null;
    });
    return node;
  }

  private LocalCluster.Node launch(TestHosts.Host h, String role, List<String> args) {
    String name = (++launched) + "-" + role + "-" + h.namespace();
    var log = local.logDir().resolve(name + ".log");
    Process p = hosts.launch(h, local.javaCommand(args), log, local.workDir());
    LocalCluster.Node node = new LocalCluster.Node(name, p, log);
    nodes.add(node);
    return node;
  }

  /** The controller started last. */
  public LocalCluster.Node controller() {
    return controller;
  }

  /** The API of the controller started last, as this machine reaches it. */
  public URI uri(String pathAndQuery) {
    return uri(controllerHost, pathAndQuery);
  }

  /** The API of the controller on {@code h}, as this machine reaches it. */
  public URI uri(TestHosts.Host h, String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + apiPorts.get(h) + pathAndQuery);
  }

  public HttpResponse<String> send(HttpRequest request) {
    return TestHttp.send(http, request);
  }

  public HttpResponse<String> get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(5)).GET().build());
  }

  /** {@code /_/status} as JSON. */
  public JsonObject status() {
    return status(controllerHost);
  }

  /** {@code /_/status} of the controller on {@code h}, as JSON. */
  public JsonObject status(TestHosts.Host h) {
    return new JsonObject(send(HttpRequest.newBuilder(uri(h, "/_/status")).timeout(Duration.ofSeconds(5)).build()).body());
  }

  /** The workers the controller lists, of every service. */
  public List<JsonObject> workers() {
    return workers(controllerHost);
  }

  /** The workers the controller on {@code h} lists, of every service. */
  public List<JsonObject> workers(TestHosts.Host h) {
    List<JsonObject> out = new ArrayList<>();
    JsonObject services = status(h).getJsonObject("services", new JsonObject());
    for (String name : services.fieldNames()) {
      for (Object w : services.getJsonObject(name).getJsonArray("workers", new JsonArray())) {
        out.add((JsonObject) w);
      }
    }
    return out;
  }

  /** The listed worker with this pid, or {@code null}. */
  public JsonObject worker(long pid) {
    for (JsonObject w : workers()) {
      if (w.getLong("pid", -1L) == pid) {
        return w;
      }
    }
    return null;
  }

  public LocalCluster logs() {
    return local;
  }

  private int status(URI uri) {
    return TestHttp.status(http, uri);
  }

  @Override
  public void close() {
    try {
      for (LocalCluster.Node n : nodes) {
        n.process().destroy();
      }
      for (LocalCluster.Node n : nodes) {
        n.awaitExit(Duration.ofSeconds(10));
      }
    } finally {
      hosts.close();
    }
  }

  @Override
  public String toString() {
    return "HostCluster on " + hosts + " (logs in " + local.logDir() + ")";
  }
}
