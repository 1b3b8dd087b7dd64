package io.modelserve.examples.echo;

import io.modelserve.testing.HostCluster;
import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
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
  /** The first few answers 500 and above (503 apart), with their bodies. */
  final java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final ExecutorService clients;
  private final int total;

  private Load(Function<String, URI> uris, Function<HttpRequest, HttpResponse<String>> client,
      String path, int total, int concurrency) {
    this(uris, client, path, total, concurrency, Duration.ofSeconds(60));
  }

  private Load(Function<String, URI> uris, Function<HttpRequest, HttpResponse<String>> client,
      String path, int total, int concurrency, Duration giveUpAfter) {
    this(uris, client, path, total, concurrency, giveUpAfter, false);
  }

  /**
   * {@code backOff}: a client whose request found no server, or was answered 503, waits 100 ms
   * before its next one, as real clients retry; without it, clients of a controller that is
   * down spin on refused connections and starve the machine the new controller starts on.
   */
  private Load(Function<String, URI> uris, Function<HttpRequest, HttpResponse<String>> client,
      String path, int total, int concurrency, Duration giveUpAfter, boolean backOff) {
    this.total = total;
    this.clients = Executors.newFixedThreadPool(concurrency);
    for (int i = 0; i < concurrency; i++) {
      clients.execute(() -> {
        while (!stopped.get() && sent.incrementAndGet() <= total) {
          try {
            HttpResponse<String> r = client.apply(HttpRequest.newBuilder(uris.apply(path))
                // one connection per client, as browsers and most clients use: giving up closes it
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .timeout(giveUpAfter).GET().build());
            statuses.computeIfAbsent(r.statusCode(), k -> new LongAdder()).increment();
            if (r.statusCode() >= 500 && r.statusCode() != 503 && failures.size() < 5) {
              // what a failure said, for the test's message
              failures.add(r.statusCode() + " " + r.body());
            }
            r.headers().firstValue("x-model-serve-worker")
                .ifPresent(w -> workers.computeIfAbsent(w, k -> new LongAdder()).increment());
            if (backOff && r.statusCode() == 503) {
              pause();
            }
          } catch (RuntimeException e) {
            errors.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(), k -> new LongAdder()).increment();
            if (backOff) {
              pause();
            }
          }
        }
      });
    }
    clients.shutdown();
  }

  static Load start(LocalCluster cluster, String path, int total, int concurrency) {
    return new Load(cluster::uri, cluster::send, path, total, concurrency);
  }

  /** Load whose every request presents {@code apiKey} as a bearer token. */
  static Load withKey(LocalCluster cluster, String path, int total, int concurrency, java.util.function.Supplier<String> apiKey) {
    return new Load(cluster::uri, r -> cluster.send(HttpRequest.newBuilder(r, (n, v) -> true)
        .header("Authorization", "Bearer " + apiKey.get()).build()), path, total, concurrency);
  }

  /** Load on one controller of several. */
  static Load start(LocalCluster cluster, LocalCluster.Node controller, String path, int total, int concurrency) {
    return new Load(p -> cluster.uri(controller, p), cluster::send, path, total, concurrency);
  }

  /**
   * Clients that give up on a request after {@code giveUpAfter} (closing its connection) and
   * send the next one at once: the impatient side of an overload.
   */
  static Load impatient(LocalCluster cluster, String path, int concurrency, Duration giveUpAfter) {
    return new Load(cluster::uri, cluster::send, path, Integer.MAX_VALUE, concurrency, giveUpAfter);
  }

  /** The same load on a cluster spread over test hosts, clients backing off when refused. */
  static Load start(HostCluster cluster, String path, int total, int concurrency) {
    return new Load(cluster::uri, cluster::send, path, total, concurrency, Duration.ofSeconds(60), true);
  }

  /** The same load on one controller of a cluster spread over test hosts. */
  static Load start(HostCluster cluster, TestHosts.Host controller, String path, int total, int concurrency) {
    return new Load(p -> cluster.uri(controller, p), cluster::send, path, total, concurrency, Duration.ofSeconds(60), true);
  }

  /** Answers so far from the worker with this id. */
  long from(String workerId) {
    LongAdder a = workers.get(workerId);
    return a == null ? 0 : a.sum();
  }

  /**
   * Requests per second answered 200 by {@code loads} together over the next {@code window}
   * (polled; the loads keep running).
   */
  static double qpsOver(Duration window, Load... loads) {
    long start = System.nanoTime();
    long before = ok(loads);
    Poll.until(window.plusSeconds(30), "a measuring window of " + window.toSeconds() + " s",
        () -> System.nanoTime() - start > window.toNanos());
    return (ok(loads) - before) / ((System.nanoTime() - start) / 1e9);
  }

  private static long ok(Load... loads) {
    long n = 0;
    for (Load l : loads) {
      n += l.count(200);
    }
    return n;
  }

  private void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
    return "Load{total=" + total + ", statuses=" + statuses + ", workers=" + workers + ", errors=" + errors
        + (failures.isEmpty() ? "" : ", failures=" + failures) + "}";
  }
}
