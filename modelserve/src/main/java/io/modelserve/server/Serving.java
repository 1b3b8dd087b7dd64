package io.modelserve.server;

import io.modelserve.options.ClusterOptions;
import io.modelserve.options.ControllerOptions;
import io.modelserve.options.WorkerOptions;
import io.modelserve.Model;
import io.modelserve.impl.cluster.ClusterNode;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller or a worker started inside an application, and the handle to stop it:
 *
 * <pre>{@code
 * try (Serving controller = Serving.controller(new ControllerOptions().setPort(0), new ClusterOptions());
 *      Serving worker = Serving.worker(MyModel.class, new WorkerOptions().setName("my-model")
 *          .setControllerUrl("http://127.0.0.1:" + controller.port()), new ClusterOptions())) {
 *   // http://127.0.0.1:<controller.port()>/my-model serves
 * }
 * }</pre>
 *
 * Each node has a clustered Vert.x of its own (Hazelcast, from {@code cluster.xml} on the class
 * path unless {@link ClusterOptions#setConfigFile} names another). {@link #close()} stops it as
 * SIGTERM does on the command line: a worker finishes what it holds, a controller answers what it
 * has in flight, then the node leaves the cluster. No JVM-wide state is touched: no shutdown hook,
 * no signal handler, no {@code System.exit}.
 */
public final class Serving implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Serving.class);

  private final Vertx vertx;
  private final IntSupplier port;
  private final long closeTimeoutMs;
  private volatile boolean closed;

  private Serving(Vertx vertx, IntSupplier port, long closeTimeoutMs) {
    this.vertx = vertx;
    this.port = port;
    this.closeTimeoutMs = closeTimeoutMs;
  }

  /** Starts a controller; returns once it listens. */
  public static Serving controller(ControllerOptions options, ClusterOptions cluster) throws Exception {
    ControllerVerticle verticle = new ControllerVerticle(options);
    return start(verticle, cluster, verticle::port, options.getDrainTimeoutMs());
  }

  /** Starts a worker of {@code model} (an {@code @Api} class); returns once it serves. */
  public static Serving worker(Class<? extends Model> model, WorkerOptions options, ClusterOptions cluster) throws Exception {
    WorkerVerticle verticle = new WorkerVerticle(model, options);
    return start(verticle, cluster, verticle::httpPort, options.getDrainTimeoutMs());
  }

  /** Starts {@code verticle} on a new clustered Vert.x; closes that Vert.x again if it fails to start. */
  private static Serving start(Verticle verticle, ClusterOptions cluster, IntSupplier port, long drainMs) throws Exception {
    Vertx vertx = unwrap(() -> ClusterNode.start(cluster).toCompletionStage().toCompletableFuture().get());
    try {
      // waited for here, outside the verticle's context: close() ends that context's event loop,
      // and a future chained on it would never complete
      unwrap(() -> vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get());
    } catch (Exception e) {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (Exception closing) {
        log.warn("closing after a failed start: {}", closing.toString());
      }
      throw e;
    }
    return new Serving(vertx, port, drainMs + 60_000);
  }

  private interface Call<T> {
    T call() throws Exception;
  }

  /** The start's own failure, not the future's wrapper around it. */
  private static <T> T unwrap(Call<T> call) throws Exception {
    try {
      return call.call();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** The HTTP port: the controller's, or the worker's own. */
  public int port() {
    return port.getAsInt();
  }

  /** The node's Vert.x, for an application that wants to deploy beside it. */
  public Vertx vertx() {
    return vertx;
  }

  /** Drains and stops the node, then leaves the cluster; waits for all of it. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(closeTimeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("stopping did not complete: {}", e.toString());
    }
  }
}
