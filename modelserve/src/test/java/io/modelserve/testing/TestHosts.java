package io.modelserve.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Hosts for tests: network namespaces made by the test, each with one interface on a private
 * /24 (10.x.y.0, picked at random) plugged into a bridge that lives in a namespace of its own,
 * so nothing is added to the machine's own network. Nodes run in a host with
 * {@code ip netns exec}; a host's link can be cut and restored; the test reaches a host's port
 * through {@link #expose} (a UNIX socket that socat serves inside the host, forwarded from a
 * loopback port here).
 *
 * <p>{@link #close()} kills every process it started (by PID) and deletes every namespace, also
 * when the test failed; a shutdown hook does the same if the test JVM is stopped, and namespaces
 * left by a test JVM that is gone are deleted at the next start.
 *
 * <p>Needs root and iproute2 (CI runs as root); {@link #unavailable()} says why not otherwise,
 * for a test to skip with that line.
 */
public final class TestHosts implements AutoCloseable {

  private static final String PREFIX = "mst";

  private final String tag = PREFIX + ProcessHandle.current().pid() + "x" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000));
  private final String subnet = "10." + ThreadLocalRandom.current().nextInt(100, 250) + "." + ThreadLocalRandom.current().nextInt(1, 250);
  private final String switchNs = tag + "-sw";
  private final List<Host> hosts = new ArrayList<>();
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final List<UnixForwarder> forwarders = new CopyOnWriteArrayList<>();
  private final Path socketDir;
  private final Thread hook = new Thread(this::cleanUp, "test-hosts-cleanup");
  private boolean closed;

  private TestHosts(int n) throws IOException {
    socketDir = Files.createTempDirectory("testhosts");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      ip("netns", "add", switchNs);
      ipIn(switchNs, "link", "set", "lo", "up");
      ipIn(switchNs, "link", "add", "br0", "type", "bridge");
      ipIn(switchNs, "link", "set", "br0", "up");
      for (int i = 1; i <= n; i++) {
        Host h = new Host(tag + "-h" + i, subnet + "." + i, "s" + i);
        String outer = tag.substring(tag.length() - 4) + "h" + i;
        String inner = tag.substring(tag.length() - 4) + "s" + i;
        ip("netns", "add", h.ns);
        ipIn(h.ns, "link", "set", "lo", "up");
        // made inside the switch namespace, one end moved to the host: nothing in the machine's own
        ipIn(switchNs, "link", "add", inner, "type", "veth", "peer", "name", outer);
        ipIn(switchNs, "link", "set", outer, "netns", h.ns);
        ipIn(switchNs, "link", "set", inner, "name", h.switchPort);
        ipIn(switchNs, "link", "set", h.switchPort, "master", "br0");
        ipIn(switchNs, "link", "set", h.switchPort, "up");
        ipIn(h.ns, "link", "set", outer, "name", "eth0");
        ipIn(h.ns, "addr", "add", h.address + "/24", "dev", "eth0");
        ipIn(h.ns, "link", "set", "eth0", "up");
        hosts.add(h);
      }
    } catch (RuntimeException e) {
      cleanUp();
      throw e;
    }
  }

  /** Why test hosts cannot be made here, or {@code null} when they can. */
  public static String unavailable() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "test hosts need root (network namespaces); CI runs as root";
    }
    for (String tool : List.of("/usr/sbin/ip", "/usr/bin/socat")) {
      if (!Files.isExecutable(Path.of(tool)) && !Files.isExecutable(Path.of(tool.replace("/usr/sbin/", "/sbin/")))) {
        return "test hosts need " + tool + " (iproute2, socat; run_tests.sh installs them)";
      }
    }
    return null;
  }

  /**
   * For a test's {@code @BeforeAll}: skips {@code test} with one line on stderr saying why,
   * where test hosts cannot be made.
   */
  public static void assumeAvailable(Class<?> test) {
    String why = unavailable();
    if (why != null) {
      System.err.println(test.getSimpleName() + " skipped: " + why);
    }
    Assumptions.assumeTrue(why == null, why);
  }

  /** Makes {@code n} hosts on one network; removes what earlier, dead test JVMs left behind. */
  public static TestHosts create(int n) {
    removeLeftovers();
    try {
      return new TestHosts(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Host {@code i}, from 1. */
  public Host host(int i) {
    return hosts.get(i - 1);
  }

  /**
   * Runs {@code command} in {@code host}, output appended to {@code log}. The process is the
   * command itself ({@code ip netns exec} execs it), so its PID is the node's.
   */
  public Process launch(Host host, List<String> command, Path log, Path workDir) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", host.ns));
    cmd.addAll(command);
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().put("OPT_OUT_TRACKING", "true");
      Process p = pb.start();
      processes.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A loopback port of this machine that reaches {@code port} on {@code host}'s loopback
   * interface (so cutting the host's link does not cut the test off from it).
   */
  public int expose(Host host, int port) {
    return expose(host, "127.0.0.1", port);
  }

  /**
   * A loopback port of this machine that reaches {@code address:port} inside {@code host}: for a
   * server bound to the host's own address only (a worker's port binds to its
   * {@code --worker-addr} host), which cutting the host's link does cut off.
   */
  public int expose(Host host, String address, int port) {
    Path socket = socketDir.resolve(host.ns + "-" + port + ".sock");
    List<String> cmd = List.of("ip", "netns", "exec", host.ns, "socat",
        "UNIX-LISTEN:" + socket + ",fork,mode=600", "TCP:" + address + ":" + port);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      processes.add(p);
      Poll.until(Duration.ofSeconds(10), "socat listens on " + socket, () -> Files.exists(socket));
      UnixForwarder f = new UnixForwarder(socket);
      forwarders.add(f);
      return f.port();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Cuts {@code host} off the network: its link loses carrier, packets go nowhere. */
  public void cut(Host host) {
    ipIn(switchNs, "link", "set", host.switchPort, "down");
  }

  /** Plugs {@code host} back in. */
  public void restore(Host host) {
    ipIn(switchNs, "link", "set", host.switchPort, "up");
  }

  /** SIGSTOP: the process stops where it is; the kernel still holds its connections. */
  public static void pause(Process p) {
    signal(p, "STOP");
  }

  /** SIGCONT. */
  public static void resume(Process p) {
    signal(p, "CONT");
  }

  private static void signal(Process p, String signal) {
    run(List.of("kill", "-" + signal, Long.toString(p.pid())));
  }

  @Override
  public synchronized void close() {
    cleanUp();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs cleanUp itself
    }
  }

  private synchronized void cleanUp() {
    if (closed) {
      return;
    }
    closed = true;
    forwarders.forEach(UnixForwarder::close);
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Host h : hosts) {
      runQuietly(List.of("ip", "netns", "del", h.ns));
    }
    runQuietly(List.of("ip", "netns", "del", switchNs));
    try (var files = Files.list(socketDir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(socketDir);
    } catch (IOException e) {
      // a temporary directory: nothing more to do
    }
  }

  /** Namespaces named by a test JVM that no longer runs: kill what runs in them, delete them. */
  private static void removeLeftovers() {
    String list = run(List.of("ip", "netns", "list"));
    for (String line : list.split("\n")) {
      String ns = line.split(" ")[0].trim();
      if (!ns.startsWith(PREFIX)) {
        continue;
      }
      int x = ns.indexOf('x');
      long pid;
      try {
        pid = Long.parseLong(ns.substring(PREFIX.length(), x));
      } catch (RuntimeException e) {
        continue;
      }
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        continue;
      }
      for (String p : runQuietly(List.of("ip", "netns", "pids", ns)).split("\\s+")) {
        if (!p.isBlank()) {
          ProcessHandle.of(Long.parseLong(p.trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      runQuietly(List.of("ip", "netns", "del", ns));
    }
  }

  private static void ip(String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    run(cmd);
  }

  private static void ipIn(String ns, String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
    cmd.addAll(List.of(args));
    run(cmd);
  }

  private static String run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.trim());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String runQuietly(List<String> cmd) {
    try {
      return run(cmd);
    } catch (RuntimeException e) {
      return "";
    }
  }

  @Override
  public String toString() {
    return "TestHosts " + tag + " on " + subnet + ".0/24";
  }

  /** One test host: a network namespace with one address. */
  public static final class Host {
    final String ns;
    final String address;
    final String switchPort;

    Host(String ns, String address, String switchPort) {
      this.ns = ns;
      this.address = address;
      this.switchPort = switchPort;
    }

    /** Its address on the test network, e.g. {@code 10.123.45.2}. */
    public String address() {
      return address;
    }

    /** {@code http://<address>:<port>}. */
    public String url(int port) {
      return "http://" + address + ":" + port;
    }

    public String namespace() {
      return ns;
    }

    @Override
    public String toString() {
      return ns + " (" + address + ")";
    }
  }
}
