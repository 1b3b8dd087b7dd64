package io.modelserve.impl.cli;

import io.modelserve.Model;
import io.modelserve.impl.ApiScanner;
import io.modelserve.options.ClusterOptions;
import io.modelserve.server.Serving;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Parses the command line and starts a controller or a worker in this JVM. */
public final class Launcher {

  private static final Logger log = LoggerFactory.getLogger(Launcher.class);

  /** What {@link #start} returns when the node is up. */
  public static final int SERVING = -1;

  private Launcher() {}

  /**
   * Starts the node the arguments describe. Returns {@link #SERVING} once it serves (the JVM
   * then lives on until SIGTERM), 0 after printing help, or an exit code after printing one
   * line to {@code err}.
   */
  public static int start(String[] args, Class<?> mainClass, PrintWriter out, PrintWriter err) {
    ServeCommand cmd = new ServeCommand();
    CommandLine cli = new CommandLine(cmd);
    try {
      CommandLine.ParseResult parsed = cli.parseArgs(args);
      if (parsed.isUsageHelpRequested()) {
        cli.usage(out);
        return 0;
      }
      if (parsed.isVersionHelpRequested()) {
        out.println("modelserve 0.1.0");
        return 0;
      }
    } catch (CommandLine.ParameterException e) {
      err.println("modelserve: " + e.getMessage().lines().findFirst().orElse("bad arguments") + " (see --help)");
      return 2;
    }
    String problem = cmd.problem();
    if (problem != null) {
      err.println("modelserve: " + problem + " (see --help)");
      return 2;
    }
    Class<? extends Model> model = null;
    if (!cmd.isController()) {
      Map<String, Class<? extends Model>> services = services(mainClass);
      try {
        model = ApiScanner.find(cmd.name, services);
      } catch (IllegalArgumentException e) {
        err.println("modelserve: --name: " + e.getMessage());
        return 2;
      }
    }
    ClusterOptions cluster = new ClusterOptions()
        .setConfigFile(cmd.clusterConfigFile())
        .setHost(cmd.ownHost());
    if (!cmd.isController()) {
      cluster.setJoinHost(cmd.joinHost()).setJoinPort(cmd.clusterPort);
    }
    try {
      Serving node = cmd.isController()
          ? Serving.controller(cmd.controllerOptions(), cluster)
          : Serving.worker(model, cmd.workerOptions(), cluster);
      Vertx vertx = node.vertx();
      installShutdownHook(vertx);
      reloadKeysOnSighup(vertx);
      return SERVING;
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
      err.println("modelserve: could not start: " + cause);
      log.debug("start failure", cause);
      return 1;
    }
  }

  private static Map<String, Class<? extends Model>> services(Class<?> mainClass) {
    if (mainClass != null && mainClass.getPackageName().length() > 0) {
      Map<String, Class<? extends Model>> found = ApiScanner.scanPackage(mainClass.getPackageName());
      if (!found.isEmpty()) {
        return found;
      }
    }
    return ApiScanner.scanClasspath();
  }

  /** SIGHUP re-reads the key files (they are also re-read when they change). */
  private static void reloadKeysOnSighup(Vertx vertx) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> vertx.eventBus().publish(
          io.modelserve.impl.security.KeyRing.RELOAD, null, new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true)));
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      log.debug("no SIGHUP here: key files are re-read on change only ({})", e.toString());
    }
  }

  /** Vert.x installs none: closing undeploys (a worker drains) and leaves the cluster. */
  private static void installShutdownHook(Vertx vertx) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("shutdown did not complete: {}", e.toString());
      }
    }, "modelserve-shutdown"));
  }
}
