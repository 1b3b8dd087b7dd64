package io.modelserve.bench;

import io.modelserve.testing.LocalCluster.Node;
import io.modelserve.tools.LoadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Scenario 5: memory and start-up. A fresh cluster is timed from the controller's launch to
 * its first 200, and from a worker's launch to its first answered request; a bare Vert.x
 * server started the same way gives the JVM-and-Vert.x floor under both.
 */
final class FootprintScenario implements Scenario {

  /** Lets the JVMs finish start-up work (JIT, class loading) before idle memory is read. */
  private static final long SETTLE_MS = 5_000;

  @Override
  public String title() {
    return "5. Footprint";
  }

  @Override
  public long limitSeconds(Settings s) {
    return s.quick() ? 60 : 100;
  }

  @Override
  public void run(Run run) throws IOException {
    Settings s = run.settings;
    Path body = run.work.resolve("footprint-body.json");
    Files.createDirectories(run.work);
    Files.writeString(body, "{}");
    int port = BenchCluster.freePort();
    ChildJvm bare = run.track(ChildJvm.start(JvmProfile.FULL, run.work.resolve("footprint-bare.log"),
        BareServer.class.getName(), "" + port, body.toString(), "application/json"));
    double bareStart = Http.awaitOk("http://127.0.0.1:" + port + "/", 120, bare::isAlive);

    BenchCluster cluster = run.track(BenchCluster.create(Example.ECHO, JvmProfile.FULL));
    Node controller = cluster.launchController();
    double controllerStart = Http.awaitOk(cluster.url("/_/health"), 120, controller.process()::isAlive);
    Node worker = cluster.launchWorker("echo", "cpu", JvmProfile.FULL);
    double workerStart = Http.awaitOk(cluster.url(EchoSetup.PATH), 120, worker.process()::isAlive);

    run.row("start-up: controller launch to first 200 (/_/health)", Fmt.ms(controllerStart),
        Fmt.ms(bareStart) + " (bare Vert.x)", Fmt.ratio(controllerStart / bareStart), "", null);
    run.row("start-up: worker launch to first answered request", Fmt.ms(workerStart),
        Fmt.ms(bareStart) + " (bare Vert.x)", Fmt.ratio(workerStart / bareStart), "", null);

    Sleep.millis(s.quick() ? SETTLE_MS / 5 : SETTLE_MS);
    double bareIdle = ProcStats.rssMiB(bare.pid());
    double controllerIdle = ProcStats.rssMiB(controller.pid());
    double workerIdle = ProcStats.rssMiB(worker.pid());
    run.row("idle RSS, controller", Fmt.mib(controllerIdle), Fmt.mib(bareIdle) + " (bare Vert.x)",
        Fmt.ratio(controllerIdle / bareIdle), "", null);
    run.row("idle RSS, echo worker", Fmt.mib(workerIdle), Fmt.mib(bareIdle) + " (bare Vert.x)",
        Fmt.ratio(workerIdle / bareIdle), "", null);

    Load load = Load.get(cluster.url(EchoSetup.PATH));
    int c = s.overheadConcurrency();
    try (ProcessMeter m = ProcessMeter.start(Map.of("controller", controller.pid(), "worker", worker.pid()))) {
      LoadResult r = Load.checked(load.closed(c, s.footprintLoadSeconds(), 0), "loaded");
      m.close();
      run.row("loaded RSS, controller (" + c + " connections, " + Fmt.rps(r.rps()) + ")",
          Fmt.mib(m.maxRssMiB("controller")), "", "", "", null);
      run.row("loaded RSS, echo worker", Fmt.mib(m.maxRssMiB("worker")), "", "", "", null);
    }
    run.note("JVM flags of controller and worker: LocalCluster's defaults overridden by `"
        + String.join(" ", JvmProfile.FULL.overrides()) + "`, i.e. `"
        + String.join(" ", JvmProfile.FULL.effectiveFlags()) + "`. RSS is VmRSS from /proc/<pid>/status, read "
        + SETTLE_MS / 1000 + " s after start-up (idle) and at its largest during the load (loaded).");
    run.command(load.closedCommand(c, s.footprintLoadSeconds(), 0) + "   # loaded RSS");
  }
}
