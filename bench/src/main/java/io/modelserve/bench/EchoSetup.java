package io.modelserve.bench;

import io.modelserve.testing.LocalCluster.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The two sides of the overhead comparison, both up at once so the rounds can alternate:
 * the echo service through controller + 1 worker, and a bare Vert.x server that answers with
 * the very bytes the echo service sent.
 */
final class EchoSetup implements AutoCloseable {

  static final String PATH = "/echo?x=1";

  final BenchCluster cluster;
  final Node worker;
  final ChildJvm bare;
  final String oursUrl;
  final String bareUrl;

  private EchoSetup(BenchCluster cluster, Node worker, ChildJvm bare, int barePort) {
    this.cluster = cluster;
    this.worker = worker;
    this.bare = bare;
    this.oursUrl = cluster.url(PATH);
    this.bareUrl = "http://127.0.0.1:" + barePort + PATH;
  }

  static EchoSetup start(Run run, String... controllerArgs) {
    BenchCluster cluster = run.track(BenchCluster.start(Example.ECHO, JvmProfile.FULL, controllerArgs));
    Node worker = cluster.startWorker("echo", "cpu", JvmProfile.FULL);
    HttpResponse<String> sample = cluster.local().get(PATH);
    if (sample.statusCode() != 200) {
      throw new IllegalStateException("echo answered " + sample.statusCode() + ": " + sample.body());
    }
    Path body = run.work.resolve("echo-body.json");
    try {
      Files.createDirectories(run.work);
      Files.writeString(body, sample.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String type = sample.headers().firstValue("content-type").orElse("application/json");
    int port = BenchCluster.freePort();
    ChildJvm bare = run.track(ChildJvm.start(JvmProfile.FULL, run.work.resolve("bare-server.log"),
        BareServer.class.getName(), "" + port, body.toString(), type));
    EchoSetup setup = new EchoSetup(cluster, worker, bare, port);
    Http.awaitOk(setup.bareUrl, 60, () -> bare.isAlive());
    run.command(bare.commandLine().replace(body.toString(), "echo-body.json"));
    return setup;
  }

  /** The processes whose CPU and memory the overhead figures break down. */
  Map<String, Long> oursPids() {
    return Map.of("controller", cluster.controllerPid(), "worker", worker.pid(),
        "load generator", ProcessHandle.current().pid());
  }

  Map<String, Long> barePids() {
    return Map.of("bare server", bare.pid(), "load generator", ProcessHandle.current().pid());
  }

  @Override
  public void close() {
    bare.close();
    cluster.close();
  }
}
