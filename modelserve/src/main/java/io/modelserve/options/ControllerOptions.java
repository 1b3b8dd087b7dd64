package io.modelserve.options;

import io.vertx.core.json.JsonObject;

/**
 * Settings of a controller: where it listens, what it serves at {@code /}, and the limits it
 * applies to every request. Fluent setters; {@link #toJson()} and the JSON constructor carry it
 * through {@code DeploymentOptions.setConfig} (and the Vert.x launcher's {@code -conf}).
 */
public class ControllerOptions {

  public static final int DEFAULT_PORT = 8888;
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final String DEFAULT_WEBROOT = ".";
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
  public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_MAX_FIELDS = 1_024;
  public static final int DEFAULT_MAX_QUEUE = 1_000;
  public static final long DEFAULT_HEADER_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;
  public static final long DEFAULT_WORKER_TIMEOUT_MS = 1_500;
  /** 0: a request waits in the queue as long as its timeout allows. */
  public static final long DEFAULT_MAX_QUEUE_WAIT_MS = 0;
  /** About twice the time workers took to re-register with a restarted controller here (1.0-1.6 s). */
  public static final long DEFAULT_STARTUP_GRACE_MS = 3_000;
  public static final long DEFAULT_DRAIN_TIMEOUT_MS = 60_000;
  /** From the model returning a stream to its first chunk. */
  public static final long DEFAULT_STREAM_FIRST_CHUNK_TIMEOUT_MS = 60_000;
  /** Between two chunks of a stream, the client's reading included. */
  public static final long DEFAULT_STREAM_CHUNK_TIMEOUT_MS = 30_000;
  /** 0: {@link #httpEventLoopsFor(int)} of the machine's cores. */
  public static final int DEFAULT_HTTP_EVENT_LOOPS = 0;

  private int port = DEFAULT_PORT;
  private String host = DEFAULT_HOST;
  private String webroot = DEFAULT_WEBROOT;
  private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private int maxFields = DEFAULT_MAX_FIELDS;
  private long headerTimeoutMs = DEFAULT_HEADER_TIMEOUT_MS;
  private long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
  private int maxQueue = DEFAULT_MAX_QUEUE;
  private long workerTimeoutMs = DEFAULT_WORKER_TIMEOUT_MS;
  private long maxQueueWaitMs = DEFAULT_MAX_QUEUE_WAIT_MS;
  private long startupGraceMs = DEFAULT_STARTUP_GRACE_MS;
  private java.util.List<String> corsOrigins = java.util.List.of();
  private long drainTimeoutMs = DEFAULT_DRAIN_TIMEOUT_MS;
  private String apiKeyFile;
  private String adminKeyFile;
  private long streamFirstChunkTimeoutMs = DEFAULT_STREAM_FIRST_CHUNK_TIMEOUT_MS;
  private long streamChunkTimeoutMs = DEFAULT_STREAM_CHUNK_TIMEOUT_MS;
  private int httpEventLoops = DEFAULT_HTTP_EVENT_LOOPS;

  public ControllerOptions() {}

  public ControllerOptions(ControllerOptions other) {
    this(other.toJson());
  }

  public ControllerOptions(JsonObject json) {
    port = json.getInteger("port", DEFAULT_PORT);
    host = json.getString("host", DEFAULT_HOST);
    webroot = json.getString("webroot", DEFAULT_WEBROOT);
    requestTimeoutMs = json.getLong("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS);
    maxBodyBytes = json.getLong("maxBodyBytes", DEFAULT_MAX_BODY_BYTES);
    maxFields = json.getInteger("maxFields", DEFAULT_MAX_FIELDS);
    headerTimeoutMs = json.getLong("headerTimeoutMs", DEFAULT_HEADER_TIMEOUT_MS);
    idleTimeoutMs = json.getLong("idleTimeoutMs", DEFAULT_IDLE_TIMEOUT_MS);
    maxQueue = json.getInteger("maxQueue", DEFAULT_MAX_QUEUE);
    workerTimeoutMs = json.getLong("workerTimeoutMs", DEFAULT_WORKER_TIMEOUT_MS);
    maxQueueWaitMs = json.getLong("maxQueueWaitMs", DEFAULT_MAX_QUEUE_WAIT_MS);
    startupGraceMs = json.getLong("startupGraceMs", DEFAULT_STARTUP_GRACE_MS);
    drainTimeoutMs = json.getLong("drainTimeoutMs", DEFAULT_DRAIN_TIMEOUT_MS);
    apiKeyFile = json.getString("apiKeyFile");
    adminKeyFile = json.getString("adminKeyFile");
    corsOrigins = json.getJsonArray("corsOrigins", new io.vertx.core.json.JsonArray()).stream()
        .map(Object::toString).toList();
    streamFirstChunkTimeoutMs = json.getLong("streamFirstChunkTimeoutMs", DEFAULT_STREAM_FIRST_CHUNK_TIMEOUT_MS);
    streamChunkTimeoutMs = json.getLong("streamChunkTimeoutMs", DEFAULT_STREAM_CHUNK_TIMEOUT_MS);
    httpEventLoops = json.getInteger("httpEventLoops", DEFAULT_HTTP_EVENT_LOOPS);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("port", port)
        .put("host", host)
        .put("webroot", webroot)
        .put("requestTimeoutMs", requestTimeoutMs)
        .put("maxBodyBytes", maxBodyBytes)
        .put("maxFields", maxFields)
        .put("headerTimeoutMs", headerTimeoutMs)
        .put("idleTimeoutMs", idleTimeoutMs)
        .put("maxQueue", maxQueue)
        .put("workerTimeoutMs", workerTimeoutMs)
        .put("maxQueueWaitMs", maxQueueWaitMs)
        .put("startupGraceMs", startupGraceMs)
        .put("corsOrigins", new io.vertx.core.json.JsonArray(corsOrigins))
        .put("drainTimeoutMs", drainTimeoutMs)
        .put("apiKeyFile", apiKeyFile)
        .put("adminKeyFile", adminKeyFile)
        .put("streamFirstChunkTimeoutMs", streamFirstChunkTimeoutMs)
        .put("streamChunkTimeoutMs", streamChunkTimeoutMs)
        .put("httpEventLoops", httpEventLoops);
  }

  public int getHttpEventLoops() { return httpEventLoops; }

  /**
   * Event loops that take HTTP connections (each parses, reads bodies and writes answers; one
   * dispatcher decides for all of them); 0 (the default) picks {@link #httpEventLoopsFor(int)}
   * of the machine's cores. With one, the dispatcher's own loop serves HTTP and no request
   * changes threads in the controller.
   */
  public ControllerOptions setHttpEventLoops(int loops) { this.httpEventLoops = loops; return this; }

  /**
   * The event loops {@code 0} stands for on a machine of {@code cores}: a quarter of them, 1 to
   * 8. On a small machine the controller shares its cores with workers and the load, and a hop
   * between threads costs more than it saves; the rest of a big machine's cores go to the
   * dispatcher's loop, the event bus and the workers' own pre-processing.
   */
  public static int httpEventLoopsFor(int cores) {
    return Math.max(1, Math.min(8, cores / 4));
  }

  /** {@link #getHttpEventLoops()}, with 0 resolved for this machine. */
  public int httpEventLoopsInForce() {
    return httpEventLoops > 0 ? httpEventLoops : httpEventLoopsFor(Runtime.getRuntime().availableProcessors());
  }

  public int getPort() { return port; }

  /** The HTTP port; 0 picks a free one. */
  public ControllerOptions setPort(int port) { this.port = port; return this; }

  public String getHost() { return host; }

  /** The interface the HTTP server binds to. */
  public ControllerOptions setHost(String host) { this.host = host; return this; }

  public String getWebroot() { return webroot; }

  /** The folder whose {@code index.html} (and other files) are served at {@code /}. */
  public ControllerOptions setWebroot(String webroot) { this.webroot = webroot; return this; }

  public long getRequestTimeoutMs() { return requestTimeoutMs; }

  /** How long a request may take, queueing included, before it is answered 504. */
  public ControllerOptions setRequestTimeoutMs(long ms) { this.requestTimeoutMs = ms; return this; }

  public long getMaxBodyBytes() { return maxBodyBytes; }

  /** Bodies over this size are answered 413. */
  public ControllerOptions setMaxBodyBytes(long bytes) { this.maxBodyBytes = bytes; return this; }

  public int getMaxFields() { return maxFields; }

  /**
   * Query parameters (414 beyond), url-encoded form fields or multipart parts (413 beyond) one
   * request may carry.
   */
  public ControllerOptions setMaxFields(int maxFields) { this.maxFields = maxFields; return this; }

  public int getMaxQueue() { return maxQueue; }

  /** Requests a service may have waiting for a worker; beyond it, 503 with Retry-After. */
  public ControllerOptions setMaxQueue(int maxQueue) { this.maxQueue = maxQueue; return this; }

  public long getWorkerTimeoutMs() { return workerTimeoutMs; }

  /** A worker silent this long is taken as dead: nothing more is routed to it. */
  public ControllerOptions setWorkerTimeoutMs(long ms) { this.workerTimeoutMs = ms; return this; }

  public long getMaxQueueWaitMs() { return maxQueueWaitMs; }

  /**
   * A request that waited this long in the controller's queue is answered 503 with Retry-After
   * rather than kept for a client that may have given up; 0 (the default) turns it off.
   */
  public ControllerOptions setMaxQueueWaitMs(long ms) { this.maxQueueWaitMs = ms; return this; }

  public long getStartupGraceMs() { return startupGraceMs; }

  /**
   * For this long after the controller starts, a name no worker has registered answers 503 with
   * Retry-After rather than 404: its workers may not have been heard from yet. 0 turns it off.
   */
  public ControllerOptions setStartupGraceMs(long ms) { this.startupGraceMs = ms; return this; }

  public String getApiKeyFile() { return apiKeyFile; }

  /**
   * A file of API keys (one a line, an optional label after it): the services then need
   * {@code Authorization: Bearer <key>} or {@code X-API-Key}. Re-read when it changes. Without
   * it, the keys of the environment variable {@code MODELSERVE_API_KEYS} (comma-separated), if set.
   */
  public ControllerOptions setApiKeyFile(String file) { this.apiKeyFile = file; return this; }

  public String getAdminKeyFile() { return adminKeyFile; }

  /**
   * Keys for {@code /_/status} (and metrics), in the same form; else {@code MODELSERVE_ADMIN_KEYS};
   * else the API keys guard them. {@code /_/health} and {@code /_/ready} stay open.
   */
  public ControllerOptions setAdminKeyFile(String file) { this.adminKeyFile = file; return this; }

  public long getDrainTimeoutMs() { return drainTimeoutMs; }

  /**
   * On stop (SIGTERM), how long requests in flight and queued may take: the controller stops
   * accepting at once and answers what is still queued after this long 503 with Retry-After.
   */
  public ControllerOptions setDrainTimeoutMs(long ms) { this.drainTimeoutMs = ms; return this; }

  public java.util.List<String> getCorsOrigins() { return corsOrigins; }

  /**
   * Web origins ({@code https://app.example.com:8443}) whose pages may call the services from a
   * browser, or {@code "*"} alone for any; empty (the default) allows none but the controller's
   * own pages. The controller answers their preflight requests itself.
   */
  public ControllerOptions setCorsOrigins(java.util.List<String> origins) {
    this.corsOrigins = java.util.List.copyOf(origins);
    return this;
  }

  public long getStreamFirstChunkTimeoutMs() { return streamFirstChunkTimeoutMs; }

  /**
   * A streamed answer whose model returned the stream but wrote no chunk this long is answered
   * 504 (nothing was sent yet). It replaces the request timeout once the stream has started.
   */
  public ControllerOptions setStreamFirstChunkTimeoutMs(long ms) { this.streamFirstChunkTimeoutMs = ms; return this; }

  public long getStreamChunkTimeoutMs() { return streamChunkTimeoutMs; }

  /**
   * The longest gap between two chunks of a streamed answer, whether the model is slow to write
   * or the client slow to read; past it the stream ends with an error (see the README).
   */
  public ControllerOptions setStreamChunkTimeoutMs(long ms) { this.streamChunkTimeoutMs = ms; return this; }

  public long getHeaderTimeoutMs() { return headerTimeoutMs; }

  /** A connection whose first request has not arrived (headers complete) this long after it opened is closed. */
  public ControllerOptions setHeaderTimeoutMs(long ms) { this.headerTimeoutMs = ms; return this; }

  public long getIdleTimeoutMs() { return idleTimeoutMs; }

  /**
   * A connection with no request in progress for this long is closed (a kept-alive one, or one
   * whose next request's headers come too slowly). A request waiting for its answer is not idle;
   * one whose body has sent no byte for this long is answered 408.
   */
  public ControllerOptions setIdleTimeoutMs(long ms) { this.idleTimeoutMs = ms; return this; }
}
