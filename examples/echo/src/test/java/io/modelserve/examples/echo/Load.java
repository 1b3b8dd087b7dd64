package io.modelserve.examples.echo;

import io.modelserve.testing.HostCluster;
import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.TestHosts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Closed-loop load for behaviour tests: {@code concurrency} clients send GETs back to back until
 * {@code total} have been sent or {@link #stop()} is called. Counts statuses and which worker
 * answered (the controller's {@code X-Model-Serve-Worker} header). Not a benchmark.
 */
final class Load implements AutoCloseable {

  final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  final Map<String, LongAdder> workers = new ConcurrentHashMap<>();
  final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final ExecutorService clients;
  private final int total;

  private Load(LocalCluster cluster, String path, int total, int concurrency) {
    this(cluster::uri, cluster::send, path, total, concurrency);
  }

  private Load(Function<String, URI> uris, Function<HttpRequest, HttpResponse<String>> client,
      String path, int total, int concurrency) {
    this.total = total;
    this.clients = Executors.newFixedThreadPool(concurrency);
    for (int i = 0; i < concurrency; i++) {
      clients.execute(() -> {
        while (!stopped.get() && sent.incrementAndGet() <= total) {
          try {
            HttpResponse<String> r = client.apply(HttpRequest.newBuilder(uris.apply(path))
                .timeout(Duration.ofSeconds(60)).GET().build());
            statuses.computeIfAbsent(r.statusCode(), k -> new LongAdder()).increment();
            r.headers().firstValue("x-model-serve-worker")
                .ifPresent(w -> workers.computeIfAbsent(w, k -> new LongAdder()).increment());
          } catch (RuntimeException e) {
            errors.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(), k -> new LongAdder()).increment();
          }
        }
      });
    }
    clients.shutdown();
  }

  static Load start(LocalCluster cluster, String path, int total, int concurrency) {
    return new Load(cluster, path, total, concurrency);
  }

  /** The same load on a cluster spread over test hosts. */
  static Load start(HostCluster cluster, String path, int total, int concurrency) {
    return new Load(cluster::uri, cluster::send, path, total, concurrency);
  }

  /** The same load on one controller of a cluster spread over test hosts. */
  static Load start(HostCluster cluster, TestHosts.Host controller, String path, int total, int concurrency) {
    return new Load(p -> cluster.uri(controller, p), cluster::send, path, total, concurrency);
  }

  /** Answers so far from the worker with this id. */
  long from(String workerId) {
    LongAdder a = workers.get(workerId);
    return a == null ? 0 : a.sum();
  }

  /** Blocks until every request is answered. */
  Load await(Duration timeout) {
    try {
      if (!clients.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("load did not finish in " + timeout + ": " + this);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return this;
  }

  /** Stops sending new requests; those in flight still complete. */
  void stop() {
    stopped.set(true);
  }

  long count(int status) {
    LongAdder a = statuses.get(status);
    return a == null ? 0 : a.sum();
  }

  long answered() {
    return statuses.values().stream().mapToLong(LongAdder::sum).sum();
  }

  long notOk() {
    return answered() - count(200) + errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  @Override
  public void close() {
    stop();
    clients.shutdownNow();
  }

  @Override
  public String toString() {
    return "Load{total=" + total + ", statuses=" + statuses + ", workers=" + workers + ", errors=" + errors + "}";
  }
}
