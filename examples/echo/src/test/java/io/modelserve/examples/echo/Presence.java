package io.modelserve.examples.echo;

import io.modelserve.testing.HostCluster;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches, every 100 ms, whether the controller routes to one worker (listed and serving), and
 * records each change with its time: how long a fault took to take it out of routing and to
 * bring it back, and how often its registration flapped.
 */
final class Presence implements AutoCloseable {

  /** One change: routed or not, at {@link System#nanoTime()}. */
  record Change(boolean routed, long nanos) {}

  private final List<Change> changes = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;

  Presence(HostCluster cluster, long pid) {
    thread = new Thread(() -> {
      Boolean last = null;
      while (!stopped) {
        boolean routed;
        try {
          var w = cluster.worker(pid);
          routed = w != null && "serving".equals(w.getString("state"));
        } catch (RuntimeException e) {
          routed = false;
        }
        if (last == null || routed != last) {
          synchronized (changes) {
            changes.add(new Change(routed, System.nanoTime()));
          }
          last = routed;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "presence-" + pid);
    thread.setDaemon(true);
    thread.start();
  }

  /** The changes after {@code nanos}. */
  List<Change> since(long nanos) {
    synchronized (changes) {
      return changes.stream().filter(c -> c.nanos() >= nanos).toList();
    }
  }

  /** When the worker was first out of routing after {@code nanos}, or -1. */
  long firstOut(long nanos) {
    return since(nanos).stream().filter(c -> !c.routed()).mapToLong(Change::nanos).findFirst().orElse(-1);
  }

  /** When the worker was first routed again after {@code nanos}, or -1. */
  long firstIn(long nanos) {
    return since(nanos).stream().filter(Change::routed).mapToLong(Change::nanos).findFirst().orElse(-1);
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
  }

  @Override
  public String toString() {
    synchronized (changes) {
      return new ArrayList<>(changes).toString();
    }
  }
}
