package io.modelserve.impl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.Model;
import io.modelserve.testing.Poll;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the device holds, as the worker reports it: queued, running, and past the 504. */
class DeviceRunnerTest {

  /** Holds its device until the test releases it, deaf to interrupts, as a native inference is. */
  public static final class Deaf implements Model {
    static volatile CountDownLatch release = new CountDownLatch(1);

    @Override
    public void init(String device) {}

    @Override
    public ApiResponse inference(ApiRequest request) {
      if (request.query("hold") != null) {
        boolean done = false;
        while (!done) {
          try {
            done = release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException ignored) {
            // as ONNX Runtime does
          }
        }
      }
      return ApiResponse.text("done");
    }
  }

  final Vertx vertx = Vertx.vertx();
  DeviceRunner runner;

  @AfterEach
  void close() {
    Deaf.release.countDown();
    runner.close();
    vertx.close();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  DeviceRunner start() throws Exception {
    Deaf.release = new CountDownLatch(1);
    runner = new DeviceRunner(vertx, "deaf", "cpu", 1);
    await(runner.init(Deaf.class, "cpu", io.modelserve.Settings.empty()));
    return runner;
  }

  @Test
  void anInferencePastItsTimeLimitStillHoldsTheDeviceAndCountsAsStuckUntilItEnds() throws Exception {
    start();
    DeviceRunner.Inference slow = runner.infer(ApiRequest.builder().query("hold", "1").build(), 50);
    assertEquals(504, await(slow.result()).status());
    assertEquals(1, runner.occupied(), "answered 504, yet still on the device");
    Poll.until(Duration.ofSeconds(10), "the overrun counts as stuck", () -> runner.stuck() == 1);
    DeviceRunner.Inference next = runner.infer(ApiRequest.builder().build(), 10_000);
    assertEquals(2, runner.occupied());
    Deaf.release.countDown();
    assertEquals("done", await(next.result()).bodyText());
    Poll.until(Duration.ofSeconds(10), "the device is free", () -> runner.occupied() == 0 && runner.stuck() == 0);
  }

  @Test
  void aWithdrawnInferenceLeavesTheDeviceAtOnceAndAFinishedOneBeforeItsAnswer() throws Exception {
    start();
    DeviceRunner.Inference running = runner.infer(ApiRequest.builder().query("hold", "1").build(), 10_000);
    DeviceRunner.Inference waiting = runner.infer(ApiRequest.builder().build(), 10_000);
    Poll.until(Duration.ofSeconds(10), "the first runs", () -> runner.running() == 1);
    assertEquals(2, runner.occupied());
    assertTrue(waiting.withdraw());
    assertNull(await(waiting.result()));
    assertEquals(1, runner.occupied());
    Deaf.release.countDown();
    // the count drops before the answer is handed over, so a reply never reports itself
    assertEquals("done", await(running.result().map(r -> {
      assertEquals(0, runner.occupied());
      return r;
    })).bodyText());
  }
}
