package io.modelserve.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A class-data-sharing archive (JDK AppCDS) of the jars a test's node JVMs load, made once per
 * class path and reused by every node: Hazelcast, Vert.x and Netty then come from the archive,
 * already parsed and verified. Measured here, an idle controller listened 3.4-3.7 s after its
 * JVM started without it and 2.2-2.5 s with it; on a loaded machine the saving grows with the
 * wait for a core. Test clusters start many JVMs, and a restarted controller's first answer is
 * timed from its JVM's start.
 *
 * <p>Made by starting a controller on loopback (a cluster name of its own) with
 * {@code -XX:DumpLoadedClassList}, stopping it once it listens, then {@code -Xshare:dump} over
 * the jars alone (the JDK archives no class from a directory, and a node's class path must start
 * with the archived one: so the nodes list jars first, directories after). Where anything fails,
 * nodes start without an archive, as before: it changes how fast they start, nothing else.
 */
final class SharedClassArchive {

  private static final Duration MAKE_TIMEOUT = Duration.ofSeconds(120);

  private SharedClassArchive() {}

  /**
   * The archive for {@code jars} in {@code moduleDir/target/cds}, made first if missing, or empty
   * when it could not be made (the reason goes to {@code System.err}).
   */
  static synchronized Optional<Path> forJars(Path moduleDir, List<String> jars, List<String> dirs,
      List<String> jvmArgs, String mainClass, Path clusterConfig) {
    if (jars.isEmpty() || Boolean.getBoolean("modelserve.test.noCds")) {
      return Optional.empty();
    }
    Path dir = moduleDir.resolve("target/cds");
    Path archive = dir.resolve(key(jars) + ".jsa");
    if (Files.isRegularFile(archive)) {
      return Optional.of(archive);
    }
    try {
      Files.createDirectories(dir);
      Path list = dir.resolve("classes.lst");
      Path log = dir.resolve("make.log");
      Files.deleteIfExists(list);
      Files.deleteIfExists(log);
      listClasses(jars, dirs, jvmArgs, mainClass, clusterConfig, list, log);
      Path partial = dir.resolve(archive.getFileName() + ".partial");
      List<String> dump = new ArrayList<>(List.of(java()));
      dump.addAll(jvmArgs);
      dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + list,
          "-XX:SharedArchiveFile=" + partial, "-cp", String.join(File.pathSeparator, jars)));
      Process p = new ProcessBuilder(dump).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      if (!p.waitFor(MAKE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("-Xshare:dump took over " + MAKE_TIMEOUT);
      }
      if (p.exitValue() != 0 || !Files.isRegularFile(partial)) {
        throw new IOException("-Xshare:dump exited " + p.exitValue() + " (see " + log + ")");
      }
      Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
      return Optional.of(archive);
    } catch (IOException | RuntimeException e) {
      System.err.println("node JVMs start without a class-data-sharing archive: " + e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Starts a controller that writes the classes it loads, and stops it once it listens. */
  private static void listClasses(List<String> jars, List<String> dirs, List<String> jvmArgs, String mainClass,
      Path clusterConfig, Path list, Path log) throws IOException, InterruptedException {
    String xml = Files.readString(clusterConfig);
    String own = xml.replaceFirst("<cluster-name>([^<]*)</cluster-name>", "<cluster-name>$1-cds</cluster-name>");
    Path config = list.resolveSibling("cluster.xml");
    Files.writeString(config, own);
    List<String> cmd = new ArrayList<>(List.of(java()));
    cmd.addAll(jvmArgs);
    List<String> classPath = new ArrayList<>(jars);
    classPath.addAll(dirs);
    cmd.addAll(List.of("-XX:DumpLoadedClassList=" + list, "-cp", String.join(File.pathSeparator, classPath), mainClass,
        "--controller", "--port", "" + LocalCluster.freePort(), "--cluster-config", config.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      Poll.until(Duration.ofSeconds(60), "the class-listing controller listens (" + log + ")", () -> {
        if (!p.isAlive()) {
          throw new IllegalStateException("the class-listing controller exited " + p.exitValue() + " (see " + log + ")");
        }
        try {
          return Files.readString(log, StandardCharsets.ISO_8859_1).contains("listening on");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The jars (paths, sizes and times: a rebuilt jar makes a new archive) and the JVM. Not the
   * flags: a node with other flags still uses the archive (GC and module flags only narrow what
   * the JVM maps from it).
   */
  private static String key(List<String> jars) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(System.getProperty("java.home").getBytes(StandardCharsets.UTF_8));
      md.update(System.getProperty("java.vm.version").getBytes(StandardCharsets.UTF_8));
      for (String j : jars) {
        Path p = Path.of(j);
        md.update(j.getBytes(StandardCharsets.UTF_8));
        if (Files.isRegularFile(p)) {
          md.update((Files.size(p) + ":" + Files.getLastModifiedTime(p).toMillis()).getBytes(StandardCharsets.UTF_8));
        }
      }
      return HexFormat.of().formatHex(md.digest(), 0, 12);
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
