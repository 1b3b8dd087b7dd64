package io.modelserve.impl.cli;

import io.modelserve.options.ControllerOptions;
import io.modelserve.options.WorkerOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line of a Model Serve node, with the original tool's flags and meanings. */
@Command(name = "modelserve", mixinStandardHelpOptions = true, sortOptions = false,
    usageHelpWidth = 100,
    description = {
        "Serves @Api model classes as a load-balanced HTTP API: one controller, one worker per device.",
        "",
        "  --controller --port 8888",
        "  --worker --port 8880 --name NAME --device 0 --controller-addr http://localhost:8888 "
            + "--worker-addr http://localhost:8880",
        ""})
public final class ServeCommand {

  @ArgGroup(exclusive = true, multiplicity = "1")
  Role role;

  static final class Role {
    @Option(names = "--controller", required = true, description = "Run the controller: the HTTP API and the balancer.")
    boolean controller;

    @Option(names = "--worker", required = true, description = "Run a worker: one service on one device.")
    boolean worker;
  }

  @Option(names = "--port", description = "HTTP port. Controller: the API (default 8888). "
      + "Worker: its own endpoint for /_/health and direct calls (default: any free port).")
  Integer port;

  @Option(names = "--name", description = "Worker: the @Api name of the service to run.")
  String name;

  @Option(names = "--device", defaultValue = WorkerOptions.DEFAULT_DEVICE,
      description = "Worker: passed to init(device): a GPU index (0, 1, ...) or cpu (default ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--controller-addr", paramLabel = "URL", split = ",",
      description = "The controller's URL. A worker joins the cluster through its host and tells it every second "
          + "where the workers are (several controllers: URLs separated by commas); "
          + "the controller binds its cluster traffic to it (default http://127.0.0.1:<port>).")
  List<URI> controllerAddrs;

  @Option(names = "--worker-addr", paramLabel = "URL",
      description = "Worker: the URL other members reach this worker at; its host carries cluster traffic "
          + "(default http://127.0.0.1:<port>).")
  URI workerAddr;

  @Option(names = "--host", description = "Interface the HTTP port binds to (default: controller 0.0.0.0, "
      + "worker the host of --worker-addr, so that its own port is not open to every network).")
  String host;

  @Option(names = "--api-key-file", paramLabel = "FILE",
      description = "Keys (one a line, optional label after it) that service calls must present as "
          + "'Authorization: Bearer <key>' or 'X-API-Key'; re-read on change and on SIGHUP "
          + "(default: $MODELSERVE_API_KEYS, comma-separated, else no keys).")
  Path apiKeyFile;

  @Option(names = "--admin-key-file", paramLabel = "FILE",
      description = "Controller: keys for /_/status (default: $MODELSERVE_ADMIN_KEYS, else the API keys).")
  Path adminKeyFile;

  @Option(names = "--cluster-config", paramLabel = "FILE",
      description = "Hazelcast XML (default: ./cluster.xml when present, else the cluster.xml on the class path).")
  Path clusterConfig;

  @Option(names = "--cluster-port", defaultValue = "0",
      description = "Worker: the controller's Hazelcast port (default: the port in the cluster file).")
  int clusterPort;

  @Option(names = "--webroot", paramLabel = "DIR", defaultValue = ControllerOptions.DEFAULT_WEBROOT,
      description = "Controller: folder whose index.html is served at / (default: the working directory).")
  Path webroot;

  @Option(names = "--timeout-ms", defaultValue = "" + ControllerOptions.DEFAULT_REQUEST_TIMEOUT_MS,
      description = "Time a request may take, queueing included, before 504 (default ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Option(names = "--max-body-bytes", defaultValue = "" + ControllerOptions.DEFAULT_MAX_BODY_BYTES,
      description = "Larger bodies are answered 413 (default ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Option(names = "--max-fields", defaultValue = "" + ControllerOptions.DEFAULT_MAX_FIELDS,
      description = "Query parameters (414 beyond), form fields or multipart parts (413 beyond) a request may carry "
          + "(default ${DEFAULT-VALUE}).")
  int maxFields;

  @Option(names = "--header-timeout-ms", defaultValue = "" + ControllerOptions.DEFAULT_HEADER_TIMEOUT_MS,
      description = "A connection whose first request's headers have not arrived this long after it opened is closed "
          + "(default ${DEFAULT-VALUE}).")
  long headerTimeoutMs;

  @Option(names = "--idle-timeout-ms", defaultValue = "" + ControllerOptions.DEFAULT_IDLE_TIMEOUT_MS,
      description = "A connection with no request in progress this long is closed, and a request body with no byte "
          + "for this long is answered 408 (default ${DEFAULT-VALUE}).")
  long idleTimeoutMs;

  @Option(names = "--max-queue", defaultValue = "" + ControllerOptions.DEFAULT_MAX_QUEUE,
      description = "Controller: requests a service may have waiting; beyond, 503 with Retry-After (default ${DEFAULT-VALUE}).")
  int maxQueue;

  @Option(names = "--worker-timeout-ms", defaultValue = "" + ControllerOptions.DEFAULT_WORKER_TIMEOUT_MS,
      description = "Controller: a worker silent this long is dropped and its requests retried (default ${DEFAULT-VALUE}).")
  long workerTimeoutMs;

  @Option(names = "--max-queue-wait-ms", defaultValue = "" + ControllerOptions.DEFAULT_MAX_QUEUE_WAIT_MS,
      description = "Controller: a request queued this long answers 503 with Retry-After; 0 = no limit (default ${DEFAULT-VALUE}).")
  long maxQueueWaitMs;
  @Option(names = "--startup-grace-ms", defaultValue = "" + ControllerOptions.DEFAULT_STARTUP_GRACE_MS,
      description = "Controller: for this long after it starts, an unknown service name answers 503 with Retry-After, "
          + "not 404, while workers re-register; 0 turns it off (default ${DEFAULT-VALUE}).")
  long startupGraceMs;

  @Option(names = "--stream-first-chunk-timeout-ms", defaultValue = "" + ControllerOptions.DEFAULT_STREAM_FIRST_CHUNK_TIMEOUT_MS,
      description = "Controller: a stream whose first chunk has not come this long after the model returned it "
          + "answers 504 (default ${DEFAULT-VALUE}).")
  long streamFirstChunkTimeoutMs;

  @Option(names = "--stream-chunk-timeout-ms", defaultValue = "" + ControllerOptions.DEFAULT_STREAM_CHUNK_TIMEOUT_MS,
      description = "Controller: the longest gap between two chunks of a stream, the client's reading included; "
          + "past it the stream ends with an error (default ${DEFAULT-VALUE}).")
  long streamChunkTimeoutMs;

  @Option(names = "--stream-window", defaultValue = "" + WorkerOptions.DEFAULT_STREAM_WINDOW,
      description = "Worker: chunks of a stream not yet taken by the client before the model's next write waits "
          + "(default ${DEFAULT-VALUE}).")
  int streamWindow;

  @Option(names = "--stream-ack-timeout-ms", defaultValue = "" + WorkerOptions.DEFAULT_STREAM_ACK_TIMEOUT_MS,
      description = "Worker: a chunk the controller has not acknowledged this long ends the stream (default ${DEFAULT-VALUE}).")
  long streamAckTimeoutMs;

  @Option(names = "--concurrency", defaultValue = "0",
      description = "Worker: inferences at once on the device (default: the service's @Api(concurrency), usually 1).")
  int concurrency;

  @Option(names = "--drain-timeout-ms", defaultValue = "" + WorkerOptions.DEFAULT_DRAIN_TIMEOUT_MS,
      description = "On SIGTERM, the longest wait for in-flight work; a controller then answers what is still "
          + "queued 503 (default ${DEFAULT-VALUE}).")
  long drainTimeoutMs;

  @Option(names = "--cors-origin", paramLabel = "ORIGIN", split = ",",
      description = "Controller: a web origin (https://app.example.com) whose pages may call the services, "
          + "repeatable, or * for any (default: none but the controller's own pages).")
  List<String> corsOrigins = new ArrayList<>();

  @Option(names = "--http-event-loops", defaultValue = "" + ControllerOptions.DEFAULT_HTTP_EVENT_LOOPS,
      description = "Controller: event loops that take HTTP (parse, read bodies, write answers) for the one "
          + "dispatcher; 0 picks a quarter of the cores, 1 to 8 (default ${DEFAULT-VALUE}).")
  int httpEventLoops;

  @Option(names = "--max-batch-size", defaultValue = "0",
      description = "Worker: requests per batch for a BatchModel (default: the service's @Api(maxBatchSize)).")
  int maxBatchSize;

  @Option(names = "--max-batch-delay-ms", defaultValue = "-1",
      description = "Worker: how long a batch that is not full may wait for more requests; 0 never waits "
          + "(default: the service's @Api(maxBatchDelayMs), usually 0).")
  long maxBatchDelayMs;

  @Option(names = "--set", paramLabel = "KEY=VALUE", mapFallbackValue = "",
      description = "Worker: a setting of the service, read by the model in init(device, settings); repeatable.")
  java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();

  boolean isController() {
    return role.controller;
  }

  /** Checks what picocli cannot; returns a one-line problem or null. */
  String problem() {
    if (role.worker && (name == null || name.isBlank())) {
      return "--worker needs --name: the @Api name of the service to run";
    }
    if (port != null && (port < 0 || port > 65535)) {
      return "--port must be between 0 and 65535, not " + port;
    }
    List<URI> urls = new ArrayList<>(controllerAddrs == null ? List.of() : controllerAddrs);
    urls.add(workerAddr);
    for (URI uri : urls) {
      if (uri != null && (uri.getHost() == null || !"http".equals(uri.getScheme()))) {
        return "not an http://host:port URL: " + uri;
      }
    }
    if (role.controller && controllerAddrs != null && controllerAddrs.size() > 1) {
      return "--controller-addr: a controller has one address of its own";
    }
    if (clusterConfig != null && !Files.isRegularFile(clusterConfig)) {
      return "--cluster-config: no such file: " + clusterConfig;
    }
    for (Path keys : new Path[] {apiKeyFile, adminKeyFile}) {
      if (keys != null && !Files.isReadable(keys)) {
        return "no such key file: " + keys;
      }
    }
    if (role.worker && adminKeyFile != null) {
      return "--admin-key-file is the controller's";
    }
    if (webroot != null && role.controller && !Files.isDirectory(webroot)) {
      return "--webroot: no such folder: " + webroot;
    }
    if (startupGraceMs < 0) {
      return "--startup-grace-ms must not be negative";
    }
    String notPositive = firstNotPositive(new String[] {"--timeout-ms", "--max-body-bytes", "--max-fields", "--max-queue",
        "--worker-timeout-ms", "--header-timeout-ms", "--idle-timeout-ms"},
        timeoutMs, maxBodyBytes, maxFields, maxQueue, workerTimeoutMs, headerTimeoutMs, idleTimeoutMs);
    if (notPositive != null) {
      return notPositive;
    }
    if (maxBatchSize < 0 || maxBatchDelayMs < -1) {
      return "--max-batch-size and --max-batch-delay-ms must not be negative";
    }
    if (role.controller && (!settings.isEmpty() || maxBatchSize != 0 || maxBatchDelayMs != -1)) {
      return "--set, --max-batch-size and --max-batch-delay-ms are a worker's";
    }
    for (String key : settings.keySet()) {
      if (key.isBlank()) {
        return "--set needs KEY=VALUE with a key";
      }
    }
    String cors = io.modelserve.impl.http.Cors.problem(corsOrigins);
    if (cors != null) {
      return cors;
    }
    if (role.worker && !corsOrigins.isEmpty()) {
      return "--cors-origin is the controller's";
    }
    notPositive = firstNotPositive(new String[] {"--stream-first-chunk-timeout-ms", "--stream-chunk-timeout-ms",
        "--stream-window", "--stream-ack-timeout-ms"},
        streamFirstChunkTimeoutMs, streamChunkTimeoutMs, streamWindow, streamAckTimeoutMs);
    if (notPositive != null) {
      return notPositive;
    }
    if (maxQueueWaitMs < 0) {
      return "--max-queue-wait-ms must be 0 (no limit) or positive";
    }
    if (httpEventLoops < 0 || httpEventLoops > 64) {
      return "--http-event-loops must be 0 (a quarter of the cores) to 64";
    }
    if (role.worker && httpEventLoops != 0) {
      return "--http-event-loops is the controller's";
    }
    return null;
  }

  /** The cluster file in force: the flag, else ./cluster.xml, else null (the class path's). */
  String clusterConfigFile() {
    if (clusterConfig != null) {
      return clusterConfig.toAbsolutePath().toString();
    }
    Path local = Path.of("cluster.xml");
    return Files.isRegularFile(local) ? local.toAbsolutePath().toString() : null;
  }

  ControllerOptions controllerOptions() {
    return new ControllerOptions()
        .setPort(port == null ? ControllerOptions.DEFAULT_PORT : port)
        .setHost(host == null ? "0.0.0.0" : host)
        .setApiKeyFile(apiKeyFile == null ? null : apiKeyFile.toAbsolutePath().toString())
        .setAdminKeyFile(adminKeyFile == null ? null : adminKeyFile.toAbsolutePath().toString())
        .setWebroot(webroot.toString())
        .setRequestTimeoutMs(timeoutMs)
        .setMaxBodyBytes(maxBodyBytes)
        .setMaxFields(maxFields)
        .setHeaderTimeoutMs(headerTimeoutMs)
        .setIdleTimeoutMs(idleTimeoutMs)
        .setMaxQueue(maxQueue)
        .setWorkerTimeoutMs(workerTimeoutMs)
        .setMaxQueueWaitMs(maxQueueWaitMs)
        .setStartupGraceMs(startupGraceMs)
        .setCorsOrigins(corsOrigins)
        .setDrainTimeoutMs(drainTimeoutMs)
        .setStreamFirstChunkTimeoutMs(streamFirstChunkTimeoutMs)
        .setStreamChunkTimeoutMs(streamChunkTimeoutMs)
        .setHttpEventLoops(httpEventLoops);
  }

  WorkerOptions workerOptions() {
    return new WorkerOptions()
        .setName(name)
        .setDevice(device)
        .setPort(port == null ? WorkerOptions.DEFAULT_PORT : port)
        .setHost(host == null ? ownHost() : host)
        .setApiKeyFile(apiKeyFile == null ? null : apiKeyFile.toAbsolutePath().toString())
        .setConcurrency(concurrency)
        .setDrainTimeoutMs(drainTimeoutMs)
        .setMaxBodyBytes(maxBodyBytes)
        .setMaxFields(maxFields)
        .setHeaderTimeoutMs(headerTimeoutMs)
        .setIdleTimeoutMs(idleTimeoutMs)
        .setRequestTimeoutMs(timeoutMs)
        .setStreamWindow(streamWindow)
        .setStreamAckTimeoutMs(streamAckTimeoutMs)
        .setMaxBatchSize(maxBatchSize)
        .setMaxBatchDelayMs(maxBatchDelayMs)
        .setSettings(settings)
        .setAdvertisedHost(ownHost())
        .setControllerUrl(controllerAddrs == null || controllerAddrs.isEmpty()
            ? "http://127.0.0.1:" + ControllerOptions.DEFAULT_PORT
            : String.join(",", controllerAddrs.stream().map(URI::toString).toList()));
  }

  /** The host this node's cluster traffic uses: that of its own address flag. */
  String ownHost() {
    URI own = role.controller ? controllerAddr() : workerAddr;
    return own == null ? "127.0.0.1" : own.getHost();
  }

  /** Worker: the controllers' hosts, comma-separated, joined through. */
  String joinHost() {
    return controllerAddrs == null || controllerAddrs.isEmpty() ? "127.0.0.1"
        : String.join(",", controllerAddrs.stream().map(URI::getHost).toList());
  }

  private URI controllerAddr() {
    return controllerAddrs == null || controllerAddrs.isEmpty() ? null : controllerAddrs.get(0);
  }

  /** "--name must be positive, not V" for the first of {@code values} that is not, or null. */
  private static String firstNotPositive(String[] names, long... values) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] <= 0) {
        return names[i] + " must be positive, not " + values[i];
      }
    }
    return null;
  }
}
