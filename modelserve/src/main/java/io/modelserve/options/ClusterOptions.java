package io.modelserve.options;

import io.vertx.core.json.JsonObject;

/**
 * How a node joins the cluster: which Hazelcast file, which host it is reached at, and (for a
 * worker) which controller to join. What the file lists stays; these add to it.
 */
public class ClusterOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";

  private String configFile;
  private String host = DEFAULT_HOST;
  private String joinHost;
  private int joinPort;

  public ClusterOptions() {}

  public ClusterOptions(ClusterOptions other) {
    this(other.toJson());
  }

  public ClusterOptions(JsonObject json) {
    configFile = json.getString("configFile");
    host = json.getString("host", DEFAULT_HOST);
    joinHost = json.getString("joinHost");
    joinPort = json.getInteger("joinPort", 0);
  }

  public JsonObject toJson() {
    return new JsonObject().put("configFile", configFile).put("host", host)
        .put("joinHost", joinHost).put("joinPort", joinPort);
  }

  public String getConfigFile() { return configFile; }

  /** A Hazelcast XML file; {@code null} takes {@code cluster.xml} from the class path. */
  public ClusterOptions setConfigFile(String file) { this.configFile = file; return this; }

  public String getHost() { return host; }

  /** The host other members reach this node at (its Hazelcast and event-bus address). */
  public ClusterOptions setHost(String host) { this.host = host; return this; }

  public String getJoinHost() { return joinHost; }

  /**
   * Members to join through, added to the file's TCP-IP members: the controller's host, or the
   * hosts of several controllers, comma-separated.
   */
  public ClusterOptions setJoinHost(String host) { this.joinHost = host; return this; }

  public int getJoinPort() { return joinPort; }

  /** The Hazelcast port at {@link #getJoinHost()}; 0 takes the file's own port. */
  public ClusterOptions setJoinPort(int port) { this.joinPort = port; return this; }
}
