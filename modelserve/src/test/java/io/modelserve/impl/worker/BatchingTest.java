package io.modelserve.impl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.BatchModel;
import io.modelserve.Settings;
import io.modelserve.testing.Poll;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The batching policy of the device threads, on a real runner with a model the test steers. */
class BatchingTest {

  /**
   * Records the requests of each call. {@code hold} blocks the call until the test releases it;
   * {@code bad} answers that item an error; {@code boom} throws for the whole batch.
   */
  public static final class Recorder implements BatchModel {
    static final List<List<String>> calls = new CopyOnWriteArrayList<>();
    static volatile CountDownLatch release = new CountDownLatch(1);

    @Override
    public List<ApiResponse> inferenceBatch(List<ApiRequest> requests) throws Exception {
      calls.add(requests.stream().map(r -> r.query("q")).toList());
      List<ApiResponse> out = new ArrayList<>();
      for (ApiRequest r : requests) {
        if (r.query("hold") != null && !release.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
        if (r.query("boom") != null) {
          throw new ApiException(422, "cannot take " + r.query("q"));
        }
        out.add(r.query("bad") != null ? ApiResponse.error(400, "bad item " + r.query("q"))
            : ApiResponse.json(Map.of("q", r.query("q"), "batch", requests.size())));
      }
      return out;
    }
  }

  final Vertx vertx = Vertx.vertx();
  DeviceRunner runner;

  @AfterEach
  void close() {
    Recorder.release.countDown();
    runner.close();
    vertx.close();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  void start(int maxBatchSize, long delayMs) throws Exception {
    Recorder.calls.clear();
    Recorder.release = new CountDownLatch(1);
    runner = new DeviceRunner(vertx, "rec", "cpu", 1, maxBatchSize, delayMs);
    await(runner.init(Recorder.class, "cpu", Settings.empty()));
  }

  DeviceRunner.Inference infer(String q, String... flags) {
    return infer(q, 10_000, flags);
  }

  DeviceRunner.Inference infer(String q, long timeoutMs, String... flags) {
    ApiRequest.Builder b = ApiRequest.builder().query("q", q);
    for (String f : flags) {
      b.query(f, "1");
    }
    return runner.infer(b.build(), timeoutMs);
  }

  /** The device runs "first", held; meanwhile {@code n} more requests arrive. */
  List<DeviceRunner.Inference> holdTheDeviceThenQueue(int n, String... flags) {
    infer("first", "hold");
    Poll.until(Duration.ofSeconds(10), "the first runs", () -> runner.running() == 1);
    List<DeviceRunner.Inference> queued = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      queued.add(infer("r" + i, flags));
    }
    return queued;
  }

  @Test
  void aLoneRequestRunsAtOnceAsABatchOfOne() throws Exception {
    start(8, 0);
    ApiResponse r = await(infer("alone").result());
    assertEquals(200, r.status());
    assertEquals(List.of(List.of("alone")), Recorder.calls);
  }

  @Test
  void whenTheDeviceFreesItTakesEverythingWaitingUpToTheBatchSize() throws Exception {
    start(4, 0);
    List<DeviceRunner.Inference> queued = holdTheDeviceThenQueue(10);
    Recorder.release.countDown();
    for (DeviceRunner.Inference job : queued) {
      assertEquals(200, await(job.result()).status());
    }
    assertEquals(List.of(List.of("first"), List.of("r0", "r1", "r2", "r3"), List.of("r4", "r5", "r6", "r7"),
        List.of("r8", "r9")), Recorder.calls);
    assertEquals(4, runner.batches());
    assertEquals(11, runner.batchedRequests());
    assertEquals(2, runner.lastBatchSize());
  }

  @Test
  void anErrorAnswerForOneItemAnswersThatItemOnly() throws Exception {
    start(8, 0);
    infer("first", "hold");
    Poll.until(Duration.ofSeconds(10), "the first runs", () -> runner.running() == 1);
    var good = infer("good");
    var bad = infer("bad", "bad");
    var good2 = infer("good2");
    Recorder.release.countDown();
    assertEquals(200, await(good.result()).status());
    ApiResponse r = await(bad.result());
    assertEquals(400, r.status());
    assertTrue(r.bodyText().contains("bad item bad"), r.bodyText());
    assertEquals(200, await(good2.result()).status());
    assertEquals(List.of("good", "bad", "good2"), Recorder.calls.get(1));
  }

  @Test
  void aBatchThatThrowsRunsItsItemsAloneSoOnlyTheCulpritFails() throws Exception {
    start(8, 0);
    infer("first", "hold");
    Poll.until(Duration.ofSeconds(10), "the first runs", () -> runner.running() == 1);
    var good = infer("good");
    var boom = infer("boom", "boom");
    var good2 = infer("good2");
    Recorder.release.countDown();
    assertEquals(200, await(good.result()).status());
    assertEquals(422, await(boom.result()).status());
    assertEquals(200, await(good2.result()).status());
    assertEquals(List.of(List.of("first"), List.of("good", "boom", "good2"), List.of("good"), List.of("boom"),
        List.of("good2")), Recorder.calls);
  }

  @Test
  void anItemPastItsDeadlineInsideABatchAnswers504AndTheOthersAreAnsweredNormally() throws Exception {
    start(8, 0);
    infer("first", "hold");
    Poll.until(Duration.ofSeconds(10), "the first runs", () -> runner.running() == 1);
    var late = infer("late", 10_000, "hold");
    var impatient = infer("impatient", 100);
    var other = infer("other");
    // the batch of three starts only on release: until then "impatient" waits, and times out there
    assertEquals(504, await(impatient.result()).status());
    Recorder.release.countDown();
    assertEquals(200, await(late.result()).status());
    assertEquals(200, await(other.result()).status());
    assertEquals(List.of("late", "other"), Recorder.calls.get(1), "the timed-out request never reached the model");
  }

  @Test
  void aRunningBatchIsNotInterruptedWhileOneOfItsItemsStillWaitsForItsAnswer() throws Exception {
    start(8, 0);
    infer("first", "hold");
    Poll.until(Duration.ofSeconds(10), "the first runs", () -> runner.running() == 1);
    var impatient = infer("impatient", 300, "hold");
    var patient = infer("patient", "hold");
    Recorder.release.countDown();
    // both run in one batch that the test does not hold long: one may time out, the other must not be cut short
    assertEquals(200, await(patient.result()).status());
    int s = await(impatient.result()).status();
    assertTrue(s == 200 || s == 504, "status " + s);
  }

  @Test
  void aWithdrawnRequestNeverReachesTheModel() throws Exception {
    start(8, 0);
    List<DeviceRunner.Inference> queued = holdTheDeviceThenQueue(3);
    assertTrue(queued.get(1).withdraw());
    assertNull(await(queued.get(1).result()));
    assertEquals(2, runner.waiting());
    Recorder.release.countDown();
    assertEquals(200, await(queued.get(2).result()).status());
    assertEquals(List.of("r0", "r2"), Recorder.calls.get(1));
  }

  @Test
  void withABatchDelayALoneRequestWaitsForCompanyButNeverPastItsDeadline() throws Exception {
    start(8, 60_000);
    // the delay is a minute; the request's deadline comes first, and it still runs before it
    ApiResponse r = await(infer("alone", 2_000).result());
    assertEquals(200, r.status(), r.bodyText());
    assertEquals(List.of(List.of("alone")), Recorder.calls);
  }

  @Test
  void withABatchDelayRequestsArrivingMeanwhileJoinTheBatch() throws Exception {
    start(8, 60_000);
    var a = infer("a", 5_000);
    var b = infer("b", 5_000);
    var c = infer("c", 5_000);
    await(a.result());
    await(b.result());
    await(c.result());
    assertEquals(List.of(List.of("a", "b", "c")), Recorder.calls);
  }
}
