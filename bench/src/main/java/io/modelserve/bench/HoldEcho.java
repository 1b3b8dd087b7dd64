package io.modelserve.bench;

import java.nio.file.Path;

/**
 * Starts the overhead set-up (controller + echo worker, bare server) and holds it until killed,
 * printing the URLs and pids: for profiling by hand, e.g. with {@code jcmd <pid> JFR.start}
 * while wrk or the load tester runs against it.
 */
public final class HoldEcho {

  private HoldEcho() {}

  public static void main(String[] args) throws InterruptedException {
    Run run = new Run(Settings.forQuickRun(), new Results(), Path.of("bench/target/hold"), "hold");
    Runtime.getRuntime().addShutdownHook(new Thread(run::closeAll));
    EchoSetup setup = run.track(EchoSetup.start(run));
    System.out.println("ours " + setup.oursUrl + " controller " + setup.cluster.controllerPid()
        + " worker " + setup.worker.pid());
    System.out.println("bare " + setup.bareUrl + " pid " + setup.bare.pid());
    Thread.currentThread().join();
  }
}
