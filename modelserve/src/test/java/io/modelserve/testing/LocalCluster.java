package io.modelserve.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real Model Serve cluster on loopback for tests: a controller JVM and worker JVMs started
 * from a module's build output, on a Hazelcast cluster of their own (a copy of the repository's
 * {@code cluster.xml} with a unique cluster name, so concurrent or leftover clusters never mix).
 * Every wait polls with a deadline; nothing sleeps to synchronise.
 *
 * <pre>{@code
 * try (LocalCluster c = LocalCluster.builder("io.modelserve.examples.echo.Main").start()) {
 *   c.startWorker("echo");
 *   HttpResponse<String> r = c.get("/echo?x=1");
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Builder b;
  private final String clusterName = "modelserve-test-" + UUID.randomUUID().toString().substring(0, 8);
  private final Path clusterConfig;
  private final Path logDir;
  private final List<Node> nodes = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int controllerPort;
  private Node controller;

  private LocalCluster(Builder b) throws IOException {
    this.b = b;
    this.logDir = Files.createDirectories(b.moduleDir.resolve("target/cluster-logs/" + clusterName));
    String xml = Files.readString(repoRoot().resolve("cluster.xml"));
    String renamed = xml.replace("<cluster-name>modelserve</cluster-name>", "<cluster-name>" + clusterName + "</cluster-name>");
    if (renamed.equals(xml)) {
      throw new IllegalStateException("cluster.xml has no <cluster-name>modelserve</cluster-name> to rename");
    }
    this.clusterConfig = logDir.resolve("cluster.xml");
    Files.writeString(clusterConfig, renamed);
    this.controllerPort = freePort();
  }

  public static Builder builder(String mainClass) {
    return new Builder(mainClass);
  }

  /** The repository root: the folder with cluster.xml and mvnw. */
  public static Path repoRoot() {
    String prop = System.getProperty("modelserve.repo");
    Path dir = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("cluster.xml")) && Files.isRegularFile(p.resolve("mvnw"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root (cluster.xml and mvnw) above " + dir);
  }

  public String clusterName() {
    return clusterName;
  }

  public Path clusterConfig() {
    return clusterConfig;
  }

  public Path logDir() {
    return logDir;
  }

  public int controllerPort() {
    return controllerPort;
  }

  /** {@code http://127.0.0.1:<port><pathAndQuery>}. */
  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + controllerPort + pathAndQuery);
  }

  /** Starts the controller and waits until it answers {@code /_/health}. */
  public Node startController(String... extraArgs) {
    controller = launchController("controller", controllerPort, extraArgs);
    return controller;
  }

  /**
   * Starts one more controller, on a port of its own, sharing the workers with the first;
   * waits until it answers {@code /_/health}. Reach it with {@link #uri(Node, String)}.
   */
  public Node startAnotherController(String... extraArgs) {
    long controllers = nodes.stream().filter(n -> n.name.startsWith("controller")).count();
    return launchController("controller-" + (controllers + 1), freePort(), extraArgs);
  }

  private Node launchController(String name, int port, String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("--controller", "--port", "" + port,
        "--controller-addr", "http://127.0.0.1:" + port,
        "--cluster-config", clusterConfig.toString(), "--webroot", b.webroot.toString()));
    args.addAll(b.controllerArgs);
    args.addAll(List.of(extraArgs));
    Node node = launch(name, args);
    node.httpPort = port;
    URI health = URI.create("http://127.0.0.1:" + port + "/_/health");
    Poll.until(START_TIMEOUT, name + " answers /_/health (log " + node.log + ")", () -> {
      node.assertAlive();
      return status(health) == 200;
    });
    return node;
  }

  /** {@code http://127.0.0.1:<that controller's port><pathAndQuery>}. */
  public URI uri(Node controller, String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + controller.httpPort() + pathAndQuery);
  }

  /** Starts a worker of {@code service} on device {@code cpu}; waits until the controller routes to it. */
  public Node startWorker(String service) {
    return startWorker(service, "cpu");
  }

  /** Starts a worker of {@code service} on {@code device}; waits until the controller routes to it. */
  public Node startWorker(String service, String device, String... extraArgs) {
    // port 0: the worker binds a free port itself (no race with other processes for a port
    // picked here) and reports it in its heartbeat, which /_/status shows
    List<String> args = new ArrayList<>(List.of("--worker", "--name", service, "--device", device,
        "--port", "0", "--controller-addr", "http://127.0.0.1:" + controllerPort,
        "--worker-addr", "http://127.0.0.1", "--cluster-config", clusterConfig.toString()));
    args.addAll(List.of(extraArgs));
    Node worker = launch("worker-" + service + "-" + nodes.size(), args);
    Poll.until(START_TIMEOUT, "worker " + worker.name + " is routed to (log " + worker.log + ")", () -> {
      worker.assertAlive();
      worker.httpPort = httpPortOf(worker.pid());
      return worker.httpPort > 0;
    });
    return worker;
  }

  /** The HTTP port the controller's status gives for the worker with this pid, or -1. */
  private int httpPortOf(long pid) {
    JsonObject services = new JsonObject(status(controller).body()).getJsonObject("services");
    for (String name : services.fieldNames()) {
      for (Object w : services.getJsonObject(name).getJsonArray("workers")) {
        JsonObject worker = (JsonObject) w;
        if (worker.getLong("pid", -1L) == pid) {
          return worker.getInteger("httpPort", -1);
        }
      }
    }
    return -1;
  }

  /** The controller's view of the worker with this pid ({@code /_/status}), or {@code null}. */
  public JsonObject workerStatus(Node worker) {
    JsonObject services = new JsonObject(status(controller).body()).getJsonObject("services");
    for (String name : services.fieldNames()) {
      for (Object w : services.getJsonObject(name).getJsonArray("workers")) {
        if (((JsonObject) w).getLong("pid", -1L) == worker.pid()) {
          return (JsonObject) w;
        }
      }
    }
    return null;
  }

  /** {@code GET http://127.0.0.1:<worker's port><pathAndQuery>}, bypassing the controller. */
  public HttpResponse<String> getFromWorker(Node worker, String pathAndQuery) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.httpPort() + pathAndQuery)).GET().build());
  }

  /** Starts a node JVM with any arguments, waiting for nothing (for command-line tests). */
  public Node launch(String name, List<String> args) {
    List<String> cmd = javaCommand(args);
    Path log = logDir.resolve(name + ".log");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(b.workDir.toFile())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().put("OPT_OUT_TRACKING", "true");
      Node node = new Node(name, pb.start(), log);
      nodes.add(node);
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The command line of a node JVM of this cluster's module with {@code args}. */
  public List<String> javaCommand(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(b.jvmArgs);
    List<String> jars = new ArrayList<>();
    List<String> dirs = new ArrayList<>();
    for (String entry : classPath().split(java.io.File.pathSeparator)) {
      (entry.endsWith(".jar") ? jars : dirs).add(entry);
    }
    SharedClassArchive.forJars(b.moduleDir, jars, dirs, b.jvmArgs, b.mainClass, clusterConfig)
        .ifPresent(archive -> cmd.add("-XX:SharedArchiveFile=" + archive));
    // jars first: a class-data-sharing archive holds only jars, and must be the class path's start
    List<String> ordered = new ArrayList<>(jars);
    ordered.addAll(dirs);
    cmd.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, ordered), b.mainClass));
    cmd.addAll(args);
    return cmd;
  }

  /** The nodes' working directory. */
  public Path workDir() {
    return b.workDir;
  }

  public Node controller() {
    return controller;
  }

  /**
   * A controller's {@code /_/status}, with the builder's {@link Builder#adminKey} when one is
   * set: the cluster's own waits work on clusters that require keys.
   */
  public HttpResponse<String> status(Node controller) {
    HttpRequest.Builder r = HttpRequest.newBuilder(uri(controller, "/_/status")).GET();
    if (b.adminKey != null) {
      r.header("Authorization", "Bearer " + b.adminKey);
    }
    return send(r.build());
  }

  public HttpResponse<String> get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    return TestHttp.send(http, request);
  }

  public HttpClient httpClient() {
    return http;
  }

  private int status(URI uri) {
    return TestHttp.status(http, uri);
  }

  /** Waits until the controller counts {@code n} live workers of {@code service}. */
  public void awaitLiveWorkers(String service, int n) {
    Poll.until(START_TIMEOUT, n + " live workers of " + service, () -> liveWorkers(service) == n);
  }

  /** Live workers of {@code service} as the controller's status reports them. */
  public int liveWorkers(String service) {
    return liveWorkers(controller, service);
  }

  /** Live workers of {@code service} as that controller's status reports them. */
  public int liveWorkers(Node controller, String service) {
    String body = status(controller).body();
    int at = body.indexOf("\"" + service + "\" : {");
    if (at < 0) {
      return 0;
    }
    int live = body.indexOf("\"liveWorkers\" : ", at);
    return Integer.parseInt(body.substring(live + 16, body.indexOf(',', live)).trim());
  }

  private String classPath() {
    try {
      String deps = Files.readString(b.moduleDir.resolve("target/classpath.txt")).trim();
      return b.moduleDir.resolve("target/classes") + java.io.File.pathSeparator
          + b.moduleDir.resolve("target/test-classes") + java.io.File.pathSeparator + deps;
    } catch (IOException e) {
      throw new UncheckedIOException("no target/classpath.txt in " + b.moduleDir + ": build the module first", e);
    }
  }

  /** A port free on loopback right now. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops every node: SIGTERM, then SIGKILL for any still alive after a while. */
  @Override
  public void close() {
    for (Node n : nodes) {
      n.process.destroy();
    }
    for (Node n : nodes) {
      n.awaitExit(Duration.ofSeconds(20));
      n.process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return "LocalCluster " + clusterName + " (logs in " + logDir + ")";
  }

  /** One JVM of the cluster. */
  public static final class Node {
    final String name;
    final Process process;
    final Path log;
    int httpPort = -1;

    public Node(String name, Process process, Path log) {
      this.name = name;
      this.process = process;
      this.log = log;
    }

    public long pid() {
      return process.pid();
    }

    public int httpPort() {
      return httpPort;
    }

    public Path log() {
      return log;
    }

    public Process process() {
      return process;
    }

    public String logText() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        return "(no log: " + e + ")";
      }
    }

    /** SIGKILL: the JVM dies at once, with whatever it had in flight. */
    public void kill() {
      process.destroyForcibly();
      awaitExit(Duration.ofSeconds(10));
    }

    /** SIGSTOP: the JVM freezes (no heartbeats, no progress) until {@link #resume()}. */
    public void pause() {
      signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
      signal("CONT");
    }

    private void signal(String name) {
      try {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
          throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** SIGTERM: a worker drains, then leaves. */
    public void terminate() {
      process.destroy();
    }

    public boolean awaitExit(Duration timeout) {
      try {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    public void assertAlive() {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logText());
      }
    }
  }

  /** How to start the cluster's JVMs. */
  public static final class Builder {
    private final String mainClass;
    private Path moduleDir = Path.of("").toAbsolutePath();
    private Path workDir = Path.of("").toAbsolutePath();
    private Path webroot = Path.of("").toAbsolutePath();
    private final List<String> controllerArgs = new ArrayList<>();
    private String adminKey;
    private final List<String> jvmArgs = new ArrayList<>(List.of(
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
        "-Dai.djl.offline=true",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED"));

    private Builder(String mainClass) {
      this.mainClass = mainClass;
    }

    /** The module whose target/ holds the classes and classpath.txt (default: working directory). */
    public Builder moduleDir(Path dir) {
      this.moduleDir = dir.toAbsolutePath();
      return this;
    }

    /** The nodes' working directory (default: the working directory). */
    public Builder workDir(Path dir) {
      this.workDir = dir.toAbsolutePath();
      return this;
    }

    /** The controller's --webroot (default: the working directory). */
    public Builder webroot(Path dir) {
      this.webroot = dir.toAbsolutePath();
      return this;
    }

    /** The key this harness sends to {@code /_/status} when the controller requires one. */
    public Builder adminKey(String key) {
      this.adminKey = key;
      return this;
    }

    public Builder controllerArgs(String... args) {
      controllerArgs.addAll(List.of(args));
      return this;
    }

    public Builder jvmArgs(String... args) {
      jvmArgs.addAll(List.of(args));
      return this;
    }

    /** Prepares the cluster (config, ports) without starting any node. */
    public LocalCluster create() {
      try {
        return new LocalCluster(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Prepares the cluster and starts its controller. */
    public LocalCluster start() {
      LocalCluster c = create();
      try {
        c.startController();
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
      return c;
    }
  }
}
