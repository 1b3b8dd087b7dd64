package io.modelserve.impl.cluster;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.core.HazelcastInstance;
import io.modelserve.impl.EventLoopWarmUp;
import io.modelserve.options.ClusterOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a clustered Vert.x on Hazelcast from a {@link ClusterOptions}. */
public final class ClusterNode {

  private static final String SOURCE_PROPERTY = "modelserve.cluster.config";

  private ClusterNode() {}

  /** Loads the Hazelcast file and applies the node's own host and join member. */
  public static Config hazelcastConfig(ClusterOptions options) {
    Config config;
    if (options.getConfigFile() != null) {
      try {
        config = new FileSystemXmlConfig(Path.of(options.getConfigFile()).toFile());
      } catch (FileNotFoundException e) {
        throw new UncheckedIOException("cluster configuration not found: " + options.getConfigFile(), e);
      }
    } else {
      config = new ClasspathXmlConfig("cluster.xml");
    }
    config.setProperty("hazelcast.local.localAddress", options.getHost());
    RecoveryDefaults.apply(config);
    dropLoopbackMembers(config, options.getHost());
    // Hazelcast ignores unknown properties; this one lets /_/status say which file is in force
    config.setProperty(SOURCE_PROPERTY, options.getConfigFile() != null
        ? Path.of(options.getConfigFile()).toAbsolutePath().normalize().toString()
        : String.valueOf(ClusterNode.class.getClassLoader().getResource("cluster.xml")));
    if (options.getJoinHost() != null) {
      int port = options.getJoinPort() > 0 ? options.getJoinPort() : config.getNetworkConfig().getPort();
      for (String host : options.getJoinHost().split(",")) {
        if (!host.isBlank()) {
          config.getNetworkConfig().getJoin().getTcpIpConfig().addMember(host.trim() + ":" + port);
        }
      }
    }
    return config;
  }

  /**
   * A node reached at a host other than loopback cannot find anyone at the loopback members of
   * the file (they name its own host's ports, for single-machine use), and each one it tries
   * while searching for other clusters costs Hazelcast a 5 s connection timeout: 20 of them make
   * a merge check take minutes. Such a node keeps only the members on other hosts.
   */
  static void dropLoopbackMembers(Config config, String ownHost) {
    if (ownHost == null || isLoopback(ownHost)) {
      return;
    }
    TcpIpConfig tcp = config.getNetworkConfig().getJoin().getTcpIpConfig();
    List<String> kept = new ArrayList<>();
    for (String member : tcp.getMembers()) {
      if (!isLoopback(JoinList.hostOf(member))) {
        kept.add(member);
      }
    }
    if (kept.size() != tcp.getMembers().size()) {
      tcp.setMembers(kept);
    }
  }

  /** Whether {@code host} is a loopback name or literal; never asks DNS about other names. */
  static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return h.equalsIgnoreCase("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
  }

  public static Future<Vertx> start(ClusterOptions options) {
    if (System.getProperty("hazelcast.logging.type") == null) {
      // before the first Hazelcast class logs anything through java.util.logging
      System.setProperty("hazelcast.logging.type", "slf4j");
    }
    Config config;
    try {
      config = hazelcastConfig(options);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    // before any event loop runs: it would block one for seconds on a loaded machine
    EventLoopWarmUp.run();
    VertxOptions vertxOptions = new VertxOptions();
    vertxOptions.getEventBusOptions().setHost(options.getHost()).setClusterPublicHost(options.getHost());
    return Vertx.builder().with(vertxOptions).withClusterManager(new HazelcastClusterManager(config)).buildClustered();
  }

  /** The cluster as this node sees it, for status pages. */
  public static JsonObject describe(Vertx vertx) {
    JsonObject out = new JsonObject();
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    if (manager == null) {
      return out.put("clustered", false);
    }
    out.put("clustered", true).put("nodes", manager.getNodes().size());
    if (manager instanceof HazelcastClusterManager hz) {
      HazelcastInstance instance = hz.getHazelcastInstance();
      if (instance != null) {
        out.put("name", instance.getConfig().getClusterName())
            .put("members", instance.getCluster().getMembers().size())
            .put("config", instance.getConfig().getProperty(SOURCE_PROPERTY))
            .put("address", instance.getCluster().getLocalMember().getAddress().toString())
            .put("master", JoinList.master(instance));
      }
    }
    return out;
  }
}
