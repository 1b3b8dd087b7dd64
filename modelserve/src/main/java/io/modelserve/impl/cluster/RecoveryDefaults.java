package io.modelserve.impl.cluster;

import com.hazelcast.config.Config;
import java.util.Map;

/**
 * Hazelcast settings that recovery across hosts depends on, applied where the cluster file does
 * not set them itself (a custom file replaces the repository's whole, and Hazelcast's own
 * defaults make a merge wait five minutes).
 *
 * <ul>
 *   <li>{@code max.no.heartbeat.seconds} 20: a member paused or cut off for less stays a member,
 *       so a short outage costs no split and no merge. Routing does not wait for it: the
 *       controller drops a worker whose own heartbeats stop within {@code --worker-timeout-ms},
 *       and a killed process is noticed at once from its closed connections.
 *   <li>merge checks 1 s after start and every second: a restarted controller that formed a cluster
 *       of its own merges into the workers' as soon as they have told it where they are.
 *   <li>addresses of members that left are searched for 60 s, not 4 hours: each unreachable
 *       address costs a merge check a 5 s connection timeout.
 * </ul>
 */
final class RecoveryDefaults {

  static final Map<String, String> DEFAULTS = Map.of(
      "hazelcast.max.no.heartbeat.seconds", "20",
      "hazelcast.merge.first.run.delay.seconds", "1",
      "hazelcast.merge.next.run.delay.seconds", "1",
      "hazelcast.tcp.join.previously.joined.member.address.retention.seconds", "60",
      "hazelcast.phone.home.enabled", "false");

  private RecoveryDefaults() {}

  static void apply(Config config) {
    DEFAULTS.forEach((name, value) -> {
      if (config.getProperty(name) == null) {
        config.setProperty(name, value);
      }
    });
  }
}
