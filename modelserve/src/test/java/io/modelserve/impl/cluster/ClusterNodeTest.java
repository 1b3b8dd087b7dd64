package io.modelserve.impl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import io.modelserve.options.ClusterOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterNodeTest {

  @TempDir
  Path dir;

  @Test
  void aNodeOnLoopbackKeepsTheFilesLoopbackMembersAndAddsItsController() {
    Config c = ClusterNode.hazelcastConfig(new ClusterOptions().setHost("127.0.0.1").setJoinHost("127.0.0.1"));
    List<String> members = c.getNetworkConfig().getJoin().getTcpIpConfig().getMembers();
    assertTrue(members.contains("127.0.0.1:5701"), members.toString());
    assertEquals(21, members.size(), members.toString());
  }

  @Test
  void aNodeOnAnotherHostDropsTheLoopbackMembersThatWouldSlowEveryMergeCheck() {
    Config c = ClusterNode.hazelcastConfig(new ClusterOptions().setHost("10.1.2.3").setJoinHost("10.1.2.1").setJoinPort(5702));
    assertEquals(List.of("10.1.2.1:5702"), c.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
  }

  @Test
  void recoverySettingsApplyOnlyWhereTheFileIsSilent() throws Exception {
    Path file = dir.resolve("cluster.xml");
    Files.writeString(file, """
        <hazelcast xmlns="http://www.hazelcast.com/schema/config">
          <properties><property name="hazelcast.max.no.heartbeat.seconds">45</property></properties>
        </hazelcast>""");
    Config c = ClusterNode.hazelcastConfig(new ClusterOptions().setConfigFile(file.toString()));
    assertEquals("45", c.getProperty("hazelcast.max.no.heartbeat.seconds"));
    assertEquals("1", c.getProperty("hazelcast.merge.next.run.delay.seconds"));
    assertEquals("60", c.getProperty("hazelcast.tcp.join.previously.joined.member.address.retention.seconds"));
  }

  @Test
  void loopbackIsToldWithoutAskingDns() {
    assertTrue(ClusterNode.isLoopback("127.0.0.1"));
    assertTrue(ClusterNode.isLoopback("127.1.2.3"));
    assertTrue(ClusterNode.isLoopback("localhost"));
    assertTrue(ClusterNode.isLoopback("[::1]"));
    assertFalse(ClusterNode.isLoopback("10.0.0.1"));
    assertFalse(ClusterNode.isLoopback("gpu-box-7"));
  }

  @Test
  void theHostOfAMemberEntry() {
    assertEquals("10.0.0.1", JoinList.hostOf("10.0.0.1:5701"));
    assertEquals("10.0.0.1", JoinList.hostOf("10.0.0.1"));
    assertEquals("[::1]", JoinList.hostOf("[::1]:5701"));
    assertEquals("box", JoinList.hostOf(" box:5701 "));
  }
}
