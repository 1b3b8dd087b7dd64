package io.modelserve.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus}, which {@code run_tests.sh} installs) on a
 * loopback port, scraping the targets a test names every second, with a configuration and a data
 * folder of its own. {@link #query} asks its HTTP API, as a dashboard or an alert would.
 */
public final class PrometheusServer implements AutoCloseable {

  public static final Path BINARY = Path.of("/usr/bin/prometheus");

  /** One scrape job: a name, {@code host:port} targets, the path, and a bearer token or null. */
  public record Job(String name, List<String> targets, String path, String bearer) {}

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts Prometheus with {@code jobs} in {@code dir}; returns once it is ready. */
  public static PrometheusServer start(Path dir, List<Job> jobs) throws IOException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " is missing: install Debian's prometheus package (run_tests.sh does)");
    }
    StringBuilder yml = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n");
    for (Job job : jobs) {
      yml.append("  - job_name: ").append(job.name()).append('\n')
          .append("    metrics_path: ").append(job.path()).append('\n');
      if (job.bearer() != null) {
        Path token = dir.resolve(job.name() + ".token");
        Files.writeString(token, job.bearer());
        yml.append("    authorization:\n      type: Bearer\n      credentials_file: ").append(token).append('\n');
      }
      yml.append("    static_configs:\n      - targets: [");
      for (int i = 0; i < job.targets().size(); i++) {
        yml.append(i == 0 ? "" : ", ").append('\'').append(job.targets().get(i)).append('\'');
      }
      yml.append("]\n");
    }
    Path config = Files.writeString(dir.resolve("prometheus.yml"), yml);
    int port = LocalCluster.freePort();
    Path log = dir.resolve("prometheus.log");
    Process p = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("data")),
        "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusServer server = new PrometheusServer(p, port, log);
    try {
      Poll.until(Duration.ofSeconds(60), "Prometheus is ready (log " + log + ")", () -> {
        if (!p.isAlive()) {
          throw new IllegalStateException("prometheus exited " + p.exitValue() + ": " + server.logText());
        }
        return server.get("/-/ready").statusCode() == 200;
      });
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * The value of an instant PromQL query that yields one number ({@code sum(...)}, a scalar), or
   * {@code NaN} when it yields no series (nothing scraped yet).
   */
  public double query(String promql) {
    HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonObject body = new JsonObject(r.body());
    if (!"success".equals(body.getString("status"))) {
      throw new IllegalStateException("query " + promql + " failed: " + r.body());
    }
    JsonObject data = body.getJsonObject("data");
    Object result = data.getValue("result");
    if (result instanceof JsonArray series) {
      if (series.isEmpty()) {
        return Double.NaN;
      }
      if (series.size() > 1) {
        throw new IllegalStateException("query " + promql + " yields " + series.size() + " series: " + r.body());
      }
      return Double.parseDouble(series.getJsonObject(0).getJsonArray("value").getString(1));
    }
    return Double.parseDouble(((JsonArray) result).getString(1));
  }

  /** Each scrape target's health as Prometheus reports it: {@code "up"}, {@code "down"}, with its last error. */
  public JsonArray targets() {
    return new JsonObject(get("/api/v1/targets").body()).getJsonObject("data").getJsonArray("activeTargets");
  }

  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<String> get(String pathAndQuery) {
    return TestHttp.send(http, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).GET()
        .timeout(Duration.ofSeconds(10)).build());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
