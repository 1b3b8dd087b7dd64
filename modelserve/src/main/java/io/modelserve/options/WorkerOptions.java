package io.modelserve.options;

import io.vertx.core.json.JsonObject;

/**
 * Settings of a worker: which service it runs on which device, its small HTTP endpoint, and
 * how it reports to and leaves the cluster. Fluent setters; JSON constructor and
 * {@link #toJson()} for {@code DeploymentOptions.setConfig} and the Vert.x launcher.
 */
public class WorkerOptions {

  public static final int DEFAULT_PORT = 0;
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final String DEFAULT_DEVICE = "cpu";
  public static final long DEFAULT_HEARTBEAT_MS = 300;
  public static final long DEFAULT_DRAIN_TIMEOUT_MS = 60_000;
  public static final long DEFAULT_MAX_BODY_BYTES = ControllerOptions.DEFAULT_MAX_BODY_BYTES;
  public static final int DEFAULT_MAX_FIELDS = ControllerOptions.DEFAULT_MAX_FIELDS;
  public static final long DEFAULT_HEADER_TIMEOUT_MS = ControllerOptions.DEFAULT_HEADER_TIMEOUT_MS;
  public static final long DEFAULT_IDLE_TIMEOUT_MS = ControllerOptions.DEFAULT_IDLE_TIMEOUT_MS;
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = ControllerOptions.DEFAULT_REQUEST_TIMEOUT_MS;
  /** Chunks of one stream on their way to the controller, unacknowledged, before the writer waits. */
  public static final int DEFAULT_STREAM_WINDOW = 8;
  /** Longer than the controller's default chunk timeout, which ends a stalled stream first. */
  public static final long DEFAULT_STREAM_ACK_TIMEOUT_MS = 120_000;

  private String name;
  private String device = DEFAULT_DEVICE;
  private int port = DEFAULT_PORT;
  private String host = DEFAULT_HOST;
  private int concurrency;
  private long heartbeatMs = DEFAULT_HEARTBEAT_MS;
  private long drainTimeoutMs = DEFAULT_DRAIN_TIMEOUT_MS;
  private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private int maxFields = DEFAULT_MAX_FIELDS;
  private long headerTimeoutMs = DEFAULT_HEADER_TIMEOUT_MS;
  private long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
  private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  private int streamWindow = DEFAULT_STREAM_WINDOW;
  private long streamAckTimeoutMs = DEFAULT_STREAM_ACK_TIMEOUT_MS;
  private String advertisedHost = "127.0.0.1";
  private String controllerUrl;
  private int maxBatchSize;
  private String apiKeyFile;
  private long maxBatchDelayMs = -1;
  private java.util.Map<String, String> settings = java.util.Map.of();

  public WorkerOptions() {}

  public WorkerOptions(WorkerOptions other) {
    this(other.toJson());
  }

  public WorkerOptions(JsonObject json) {
    name = json.getString("name");
    device = json.getString("device", DEFAULT_DEVICE);
    port = json.getInteger("port", DEFAULT_PORT);
    host = json.getString("host", DEFAULT_HOST);
    concurrency = json.getInteger("concurrency", 0);
    heartbeatMs = json.getLong("heartbeatMs", DEFAULT_HEARTBEAT_MS);
    drainTimeoutMs = json.getLong("drainTimeoutMs", DEFAULT_DRAIN_TIMEOUT_MS);
    maxBodyBytes = json.getLong("maxBodyBytes", DEFAULT_MAX_BODY_BYTES);
    maxFields = json.getInteger("maxFields", DEFAULT_MAX_FIELDS);
    headerTimeoutMs = json.getLong("headerTimeoutMs", DEFAULT_HEADER_TIMEOUT_MS);
    idleTimeoutMs = json.getLong("idleTimeoutMs", DEFAULT_IDLE_TIMEOUT_MS);
    requestTimeoutMs = json.getLong("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS);
    streamWindow = json.getInteger("streamWindow", DEFAULT_STREAM_WINDOW);
    streamAckTimeoutMs = json.getLong("streamAckTimeoutMs", DEFAULT_STREAM_ACK_TIMEOUT_MS);
    advertisedHost = json.getString("advertisedHost", "127.0.0.1");
    controllerUrl = json.getString("controllerUrl");
    maxBatchSize = json.getInteger("maxBatchSize", 0);
    apiKeyFile = json.getString("apiKeyFile");
    maxBatchDelayMs = json.getLong("maxBatchDelayMs", -1L);
    java.util.Map<String, String> s = new java.util.TreeMap<>();
    JsonObject given = json.getJsonObject("settings", new JsonObject());
    for (String key : given.fieldNames()) {
      Object v = given.getValue(key);
      if (v == null || v instanceof JsonObject || v instanceof io.vertx.core.json.JsonArray) {
        throw new IllegalArgumentException("setting '" + key + "' must be a string, number or boolean");
      }
      s.put(key, v.toString());
    }
    settings = java.util.Map.copyOf(s);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("device", device)
        .put("port", port)
        .put("host", host)
        .put("concurrency", concurrency)
        .put("heartbeatMs", heartbeatMs)
        .put("drainTimeoutMs", drainTimeoutMs)
        .put("maxBodyBytes", maxBodyBytes)
        .put("maxFields", maxFields)
        .put("headerTimeoutMs", headerTimeoutMs)
        .put("idleTimeoutMs", idleTimeoutMs)
        .put("requestTimeoutMs", requestTimeoutMs)
        .put("streamWindow", streamWindow)
        .put("streamAckTimeoutMs", streamAckTimeoutMs)
        .put("advertisedHost", advertisedHost)
        .put("controllerUrl", controllerUrl)
        .put("maxBatchSize", maxBatchSize)
        .put("apiKeyFile", apiKeyFile)
        .put("maxBatchDelayMs", maxBatchDelayMs)
        .put("settings", new JsonObject(new java.util.TreeMap<String, Object>(settings)));
  }

  public String getName() { return name; }

  /** The {@code @Api} name of the service this worker runs. */
  public WorkerOptions setName(String name) { this.name = name; return this; }

  public String getDevice() { return device; }

  /** Passed to {@code Model.init}: a GPU index such as {@code "0"}, or {@code "cpu"}. */
  public WorkerOptions setDevice(String device) { this.device = device; return this; }

  public int getPort() { return port; }

  /** The worker's own HTTP port (health and direct calls); 0 picks a free one. */
  public WorkerOptions setPort(int port) { this.port = port; return this; }

  public String getHost() { return host; }

  /** The interface the worker's HTTP server binds to. */
  public WorkerOptions setHost(String host) { this.host = host; return this; }

  public int getConcurrency() { return concurrency; }

  /** Inferences at once on this device; 0 takes the service's {@code @Api(concurrency)}. */
  public WorkerOptions setConcurrency(int concurrency) { this.concurrency = concurrency; return this; }

  public long getHeartbeatMs() { return heartbeatMs; }

  /** How often the worker tells the controllers it is alive and how loaded it is. */
  public WorkerOptions setHeartbeatMs(long ms) { this.heartbeatMs = ms; return this; }

  public long getDrainTimeoutMs() { return drainTimeoutMs; }

  /** On shutdown, how long in-flight work may take to finish before the worker leaves anyway. */
  public WorkerOptions setDrainTimeoutMs(long ms) { this.drainTimeoutMs = ms; return this; }

  public long getMaxBodyBytes() { return maxBodyBytes; }

  /** Body limit of the worker's direct HTTP endpoint. */
  public WorkerOptions setMaxBodyBytes(long bytes) { this.maxBodyBytes = bytes; return this; }

  public int getMaxFields() { return maxFields; }

  /** Query parameters, form fields or multipart parts a direct HTTP call may carry. */
  public WorkerOptions setMaxFields(int maxFields) { this.maxFields = maxFields; return this; }

  public int getStreamWindow() { return streamWindow; }

  /**
   * Chunks of one streamed answer sent to the controller and not yet taken by its client; the
   * model's next write waits beyond it (back-pressure).
   */
  public WorkerOptions setStreamWindow(int chunks) { this.streamWindow = chunks; return this; }

  public long getStreamAckTimeoutMs() { return streamAckTimeoutMs; }

  /** A chunk the controller has not acknowledged this long ends the stream (the controller is gone or stuck). */
  public WorkerOptions setStreamAckTimeoutMs(long ms) { this.streamAckTimeoutMs = ms; return this; }

  public long getRequestTimeoutMs() { return requestTimeoutMs; }

  /** Inference timeout for requests that carry none (direct HTTP calls, the service address). */
  public WorkerOptions setRequestTimeoutMs(long ms) { this.requestTimeoutMs = ms; return this; }

  public String getAdvertisedHost() { return advertisedHost; }

  /** The host others use to reach this worker; shown in the controller's status. */
  public WorkerOptions setAdvertisedHost(String host) { this.advertisedHost = host; return this; }

  public long getHeaderTimeoutMs() { return headerTimeoutMs; }

  /** A connection whose first request has not arrived (headers complete) this long after it opened is closed. */
  public WorkerOptions setHeaderTimeoutMs(long ms) { this.headerTimeoutMs = ms; return this; }

  public long getIdleTimeoutMs() { return idleTimeoutMs; }

  /**
   * A connection with no request in progress for this long is closed (a kept-alive one, or one
   * whose next request's headers come too slowly). A request waiting for its answer is not idle.
   */
  public WorkerOptions setIdleTimeoutMs(long ms) { this.idleTimeoutMs = ms; return this; }

  public String getControllerUrl() { return controllerUrl; }

  /**
   * The controllers' HTTP addresses, comma-separated. The worker checks through each, every
   * second, that it shares a cluster with that controller, and tells a restarted one where the
   * workers are; {@code null} (the launcher form's default) checks nothing.
   */
  public WorkerOptions setControllerUrl(String url) { this.controllerUrl = url; return this; }

  public String getApiKeyFile() { return apiKeyFile; }

  /**
   * The API key file (as the controller's): direct calls to the worker's own port then need a
   * key; {@code /_/health} stays open. Else {@code MODELSERVE_API_KEYS}, if set.
   */
  public WorkerOptions setApiKeyFile(String file) { this.apiKeyFile = file; return this; }

  public int getMaxBatchSize() { return maxBatchSize; }

  /** Requests per batch for a {@code BatchModel}; 0 takes the service's {@code @Api(maxBatchSize)}. */
  public WorkerOptions setMaxBatchSize(int size) { this.maxBatchSize = size; return this; }

  public long getMaxBatchDelayMs() { return maxBatchDelayMs; }

  /**
   * How long a batch that is not full may wait for more; -1 takes the service's
   * {@code @Api(maxBatchDelayMs)}, 0 never waits.
   */
  public WorkerOptions setMaxBatchDelayMs(long ms) { this.maxBatchDelayMs = ms; return this; }

  public java.util.Map<String, String> getSettings() { return settings; }

  /** The service's own settings, handed to {@code Model.init(device, settings)}. */
  public WorkerOptions setSettings(java.util.Map<String, String> settings) {
    this.settings = java.util.Map.copyOf(settings);
    return this;
  }
}
