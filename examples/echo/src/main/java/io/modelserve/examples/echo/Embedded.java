package io.modelserve.examples.echo;

import io.modelserve.options.ClusterOptions;
import io.modelserve.options.ControllerOptions;
import io.modelserve.server.Serving;
import io.modelserve.options.WorkerOptions;

/**
 * Model Serve inside an application: a controller and an echo worker in this JVM, started and
 * stopped from code rather than from the command line. Run with
 * {@code java -cp ... io.modelserve.examples.echo.Embedded [port]}; Enter stops both (the worker
 * drains first).
 */
public final class Embedded {

  private Embedded() {}

  /** Starts the controller on {@code port} (0: any free one) and one echo worker. */
  public static Serving[] start(int port, ClusterOptions cluster) throws Exception {
    Serving controller = Serving.controller(new ControllerOptions().setPort(port), cluster);
    try {
      Serving worker = Serving.worker(EchoService.class, new WorkerOptions()
          .setControllerUrl("http://127.0.0.1:" + controller.port()), cluster);
      return new Serving[] {worker, controller};
    } catch (Exception e) {
      controller.close();
      throw e;
    }
  }

  public static void main(String[] args) throws Exception {
    Serving[] nodes = start(args.length > 0 ? Integer.parseInt(args[0]) : 8888, new ClusterOptions());
    try {
      System.out.println("serving http://127.0.0.1:" + nodes[1].port() + "/echo; press Enter to stop");
      System.in.read();
    } finally {
      for (Serving node : nodes) {
        node.close();
      }
    }
  }
}
