package io.modelserve.impl;

/**
 * Event-bus addresses. {@code modelserve.service.<name>} is the public contract: anything on
 * the cluster may send a request to a service by name. The rest are the controller's own.
 */
public final class Addresses {

  /** Where every worker publishes its heartbeat (registration, load and drain state). */
  public static final String HEARTBEAT = "modelserve.heartbeat";
  /** Where a draining worker asks the controllers to stop routing to it. */
  public static final String DRAIN = "modelserve.drain";
  /** Where a worker says it has left. */
  public static final String LEFT = "modelserve.left";

  private Addresses() {}

  public static String service(String name) {
    return "modelserve.service." + name;
  }

  public static String worker(String workerId) {
    return "modelserve.worker." + workerId;
  }

  /**
   * Where workers send a controller the chunks of its streamed answers after the first (one
   * consumer per controller, registered once: a clustered registration is slow).
   */
  public static String stream(String controllerId) {
    return "modelserve.stream." + controllerId;
  }

  /** Where the controller asks a worker to give back a request that has not started. */
  public static String withdraw(String workerId) {
    return "modelserve.worker." + workerId + ".withdraw";
  }
}
