package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Overload with clients that give up after 2 s: three clients per request/s of capacity. A
 * queue that keeps every request until a worker is free serves mostly clients that have left;
 * {@code --max-queue-wait-ms} answers 503 early instead, so the devices serve clients still
 * there. Sizes come from {@code -Dmodelserve.overload.workers} (1) and
 * {@code -Dmodelserve.overload.seconds} (10); the report's figure uses 4 workers, 240 clients.
 */
class ImpatientClientsTest {

  private static final int WORKERS = Integer.getInteger("modelserve.overload.workers", 1);
  private static final int SECONDS = Integer.getInteger("modelserve.overload.seconds", 10);
  private static final Duration GIVE_UP = Duration.ofSeconds(2);

  @Test
  void withAMaxQueueWaitMostOfTheCapacityReachesClientsThatStillWait() {
    double without = receivedShareOfCapacity();
    double with = receivedShareOfCapacity("--max-queue-wait-ms", "1000");
    System.out.printf("%d sim workers, %d clients giving up after %s: received/capacity %.3f without "
        + "--max-queue-wait-ms, %.3f with 1000 ms%n", WORKERS, clients(), GIVE_UP, without, with);
    assertTrue(with >= 0.8, "with --max-queue-wait-ms: " + with + " of capacity received (without: " + without + ")");
    assertTrue(with > without, "with " + with + ", without " + without);
  }

  private static int clients() {
    return 3 * 20 * WORKERS;
  }

  /** Answers (200) clients received per second, over the workers' 20 per second each. */
  private static double receivedShareOfCapacity(String... controllerArgs) {
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).controllerArgs(controllerArgs).start()) {
      for (int i = 0; i < WORKERS; i++) {
        c.startWorker("sim", "cpu:50");
      }
      try (Load load = Load.impatient(c, "/sim", clients(), GIVE_UP)) {
        long warm = System.nanoTime();
        // past the first give-ups, the overload's steady state
        Poll.until(Duration.ofSeconds(30), "warm-up", () -> System.nanoTime() - warm > TimeUnit.SECONDS.toNanos(4));
        long start = System.nanoTime();
        long before = load.count(200);
        Poll.until(Duration.ofSeconds(SECONDS + 30), "the measuring window",
            () -> System.nanoTime() - start > TimeUnit.SECONDS.toNanos(SECONDS));
        double seconds = (System.nanoTime() - start) / 1e9;
        double share = (load.count(200) - before) / seconds / (20.0 * WORKERS);
        System.out.println("controller args " + String.join(" ", controllerArgs) + ": " + load
            + "; status " + c.get("/_/status").body().replaceAll("\\s+", " "));
        return share;
      }
    }
  }
}
