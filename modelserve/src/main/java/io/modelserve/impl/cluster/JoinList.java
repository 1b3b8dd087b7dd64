package io.modelserve.impl.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The addresses a node's Hazelcast searches for other clusters, kept up to date from what other
 * nodes say about their own cluster.
 *
 * <p>Why: a controller restarted on its host forms a cluster of one, since its file lists no
 * worker's host; the workers' cluster is larger, so Hazelcast leaves the merge to the
 * controller, which never searches where they are. The workers know the controller's HTTP
 * address and tell it their members' addresses ({@link ControllerLink}); the controller adds
 * them here, its next merge check finds the larger cluster and it merges into it. Hazelcast's
 * TCP-IP joiner reads its member list afresh at every check, so added addresses take effect
 * without a restart. Addresses not heard of for {@link #RETAIN_MS} are removed again, so dead
 * ones do not slow the checks down (each costs Hazelcast a 5 s connection timeout).
 */
public final class JoinList {

  /** How long an address heard of stays in the list. */
  static final long RETAIN_MS = 60_000;

  private final HazelcastInstance instance;
  private final LongSupplier clockMs;
  /** The addresses this class added, with when they were last heard of; the file's stay. */
  private final Map<String, Long> added = new HashMap<>();

  JoinList(HazelcastInstance instance, LongSupplier clockMs) {
    this.instance = instance;
    this.clockMs = clockMs;
  }

  /** The join list of the node this Vert.x is, or {@code null} when it is not on Hazelcast. */
  public static JoinList of(Vertx vertx) {
    HazelcastInstance hz = instance(vertx);
    return hz == null ? null : new JoinList(hz, System::currentTimeMillis);
  }

  static HazelcastInstance instance(Vertx vertx) {
    if (((VertxInternal) vertx).clusterManager() instanceof HazelcastClusterManager hz) {
      return hz.getHazelcastInstance();
    }
    return null;
  }

  /**
   * This node's cluster as others need it: {@code cluster} (name), {@code uuid} and
   * {@code address} of this member, and {@code members}, the addresses of every member.
   */
  public JsonObject self() {
    JsonArray members = new JsonArray();
    JsonArray uuids = new JsonArray();
    for (Member m : instance.getCluster().getMembers()) {
      members.add(address(m));
      uuids.add(m.getUuid().toString());
    }
    Member local = instance.getCluster().getLocalMember();
    return new JsonObject()
        .put("cluster", instance.getConfig().getClusterName())
        .put("uuid", local.getUuid().toString())
        .put("address", address(local))
        .put("members", members)
        .put("uuids", uuids);
  }

  /** This node's member uuid now (Hazelcast gives a member a new one when it merges into another cluster). */
  public String localUuid() {
    return instance.getCluster().getLocalMember().getUuid().toString();
  }

  /** Whether this node is the only member of its cluster. */
  public boolean alone() {
    return instance.getCluster().getMembers().size() <= 1;
  }

  /** Whether the member with this uuid is in this node's cluster now. */
  public boolean isMember(String uuid) {
    for (Member m : instance.getCluster().getMembers()) {
      if (m.getUuid().toString().equals(uuid)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Another node says its cluster is {@code other} (as {@link #self()} gives it): when it is a
   * cluster of the same name that this node is not part of, its members' addresses join the
   * list. Returns how many addresses were new.
   */
  public synchronized int heard(JsonObject other) {
    if (other == null || !instance.getConfig().getClusterName().equals(other.getString("cluster"))) {
      return 0;
    }
    JsonArray addresses = other.getJsonArray("members", new JsonArray());
    List<String> own = new ArrayList<>();
    for (Member m : instance.getCluster().getMembers()) {
      own.add(address(m));
    }
    long now = clockMs.getAsLong();
    TcpIpConfig tcp = tcp();
    List<String> listed = new ArrayList<>(tcp.getMembers());
    int fresh = 0;
    for (Object a : addresses) {
      if (!(a instanceof String address) || own.contains(address) || address.isBlank()) {
        continue;
      }
      boolean known = added.containsKey(address);
      added.put(address, now);
      if (!known && !listed.contains(address)) {
        listed.add(address);
        fresh++;
      }
    }
    expire(now, listed);
    if (fresh > 0 || listed.size() != tcp.getMembers().size()) {
      tcp.setMembers(listed);
    }
    return fresh;
  }

  /** Removes the added addresses not heard of for {@link #RETAIN_MS}. */
  public synchronized void expire() {
    TcpIpConfig tcp = tcp();
    List<String> listed = new ArrayList<>(tcp.getMembers());
    expire(clockMs.getAsLong(), listed);
    if (listed.size() != tcp.getMembers().size()) {
      tcp.setMembers(listed);
    }
  }

  private void expire(long now, List<String> listed) {
    added.entrySet().removeIf(e -> {
      if (now - e.getValue() > RETAIN_MS) {
        listed.remove(e.getKey());
        return true;
      }
      return false;
    });
  }

  /** The addresses the node searches now, the file's and the added ones. */
  public synchronized List<String> addresses() {
    return List.copyOf(tcp().getMembers());
  }

  private TcpIpConfig tcp() {
    return instance.getConfig().getNetworkConfig().getJoin().getTcpIpConfig();
  }

  static String address(Member m) {
    return m.getAddress().getHost() + ":" + m.getAddress().getPort();
  }

  /** The address of the member holding the cluster's master role (the oldest member). */
  static String master(HazelcastInstance instance) {
    for (Member m : instance.getCluster().getMembers()) {
      return address(m);
    }
    return null;
  }

  /** The host part of a TCP-IP member entry: {@code host}, {@code host:port} or {@code [v6]:port}. */
  static String hostOf(String member) {
    String m = member.trim();
    if (m.startsWith("[")) {
      int end = m.indexOf(']');
      return end < 0 ? m : m.substring(0, end + 1);
    }
    int colon = m.indexOf(':');
    return colon < 0 || m.indexOf(':', colon + 1) >= 0 ? m : m.substring(0, colon);
  }
}
