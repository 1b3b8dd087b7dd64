package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.Poll;
import java.time.Duration;

/** One of two controllers killed under load: the other serves on and fails nothing. */
final class ControllerKill {

  private ControllerKill() {}

  /**
   * Stops the clients of the controller that {@code kill} kills (what they have in flight dies
   * with it), kills it, and checks that the other's clients get 200 more answers and no failure,
   * and that the killed one's failed at most its 8 requests in flight.
   */
  static void killOneUnderLoad(Load victimsClients, Runnable kill, Load survivorsClients) {
    victimsClients.stop();
    kill.run();
    long afterKill = survivorsClients.count(200);
    Poll.until(Duration.ofSeconds(30), "the other controller keeps serving",
        () -> survivorsClients.count(200) > afterKill + 200);
    survivorsClients.stop();
    victimsClients.await(Duration.ofSeconds(60));
    survivorsClients.await(Duration.ofSeconds(60));
    assertEquals(0, survivorsClients.notOk(), "the surviving controller failed none: " + survivorsClients);
    assertTrue(victimsClients.notOk() <= 8, "only what was in flight on the killed controller failed: " + victimsClients);
    System.out.printf("controller killed: %d request(s) in flight on it failed; the other failed none of %d%n",
        victimsClients.notOk(), survivorsClients.count(200));
  }
}
