package io.modelserve.impl.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.impl.wire.WireFormat;
import io.modelserve.options.ControllerOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The races of dispatching, played out one event at a time on a fake clock and transport: no
 * event bus, no threads, every interleaving chosen by the test.
 */
class DispatchPolicyTest {

  final FakeTransport bus = new FakeTransport();
  final ControllerOptions options = new ControllerOptions().setRequestTimeoutMs(10_000).setWorkerTimeoutMs(1_500).setMaxQueue(100);
  final DispatchPolicy policy = new DispatchPolicy(options, bus, bus);

  /** The answers one client received, in order: a correct policy gives exactly one. */
  static final class Client {
    final List<ApiResponse> answers = new ArrayList<>();

    ApiResponse only() {
      assertEquals(1, answers.size(), "answers: " + answers.stream().map(a -> a.status() + " " + a.bodyText()).toList());
      return answers.get(0);
    }
  }

  JsonObject heartbeat(String id, int concurrency) {
    return new JsonObject().put("id", id).put("service", "sim").put("address", "modelserve.worker." + id)
        .put("concurrency", concurrency).put("inFlight", 0);
  }

  void join(String id, int concurrency) {
    policy.onHeartbeat(heartbeat(id, concurrency));
  }

  Client submit(String query) {
    Client c = new Client();
    submitAndKeep(query, c);
    return c;
  }

  static Buffer ok(String text) {
    return WireFormat.encodeResponse(ApiResponse.json(Map.of("text", text)));
  }

  static String text(ApiResponse r) {
    return new JsonObject(r.bodyText()).getString("text");
  }

  /** Submits a request for a client that may leave: run what this returns when it does. */
  Runnable submitAndKeep(String query, Client c) {
    return policy.submit("sim", ApiRequest.builder().method("GET").path("/sim").query("q", query).build(), c.answers::add);
  }

  /** A request sent to one of two idle workers, a and b. */
  record OneOfTwo(Client client, FakeTransport.Sent first, String worker, String other) {}

  OneOfTwo submitToOneOfTwo() {
    join("a", 1);
    join("b", 1);
    Client c = submit("1");
    FakeTransport.Sent first = bus.last();
    return new OneOfTwo(c, first, first.workerId(), first.workerId().equals("a") ? "b" : "a");
  }

  /** A request sent to one of three idle workers, a, b and c. */
  record OneOfThree(Client client, String worker) {}

  OneOfThree submitToOneOfThree() {
    join("a", 1);
    join("b", 1);
    join("c", 1);
    Client c = submit("1");
    return new OneOfThree(c, bus.last().workerId());
  }

  /** Worker a busy with request 1 and holding request 2 ahead, when an idle worker b joins. */
  record HeldAhead(Client client, FakeTransport.Sent held) {}

  HeldAhead holdOneAheadThenJoinAnIdleWorker() {
    join("a", 1);
    submit("1");
    Client c = submit("2");
    FakeTransport.Sent held = bus.last();
    join("b", 1);
    return new HeldAhead(c, held);
  }

  /** Keeps {@code ids} alive past the worker timeout while the others fall silent. */
  void onlyTheseStayAlive(long millis, String... ids) {
    for (long t = 0; t < millis; t += 300) {
      bus.advance(300);
      for (String id : ids) {
        join(id, 1);
      }
      policy.dropSilentWorkers();
    }
  }

  @Test
  void aRequestGoesToAnIdleWorkerAndItsAnswerReachesTheClientOnce() {
    join("a", 1);
    Client c = submit("1");
    FakeTransport.Sent s = bus.last();
    assertEquals("a", s.workerId());
    policy.onReply("a", s.dispatchId(), ok("done"), -1);
    assertEquals("done", text(c.only()));
    assertEquals("a", c.only().headers().get("X-Model-Serve-Worker"));
    assertEquals(0, bus.timers(), "the deadline timer is cancelled once answered");
  }

  @Test
  void aBusyWorkerHoldsOneRequestAheadAndNoMore() {
    join("a", 1);
    submit("1");
    submit("2");
    Client third = submit("3");
    assertEquals(2, bus.to("a").size());
    assertTrue(third.answers.isEmpty());
    assertEquals(1, policy.status().getJsonObject("sim").getInteger("queued"));
  }

  @Test
  void aBatchingWorkerTakesAWholeBatchAndHoldsTheNextOneAhead() {
    policy.onHeartbeat(heartbeat("a", 1).put("maxBatchSize", 4));
    for (int i = 0; i < 10; i++) {
      submit("" + i);
    }
    assertEquals(8, bus.to("a").size(), "a batch running and a batch ahead");
    assertEquals(2, policy.status().getJsonObject("sim").getInteger("queued"));
    JsonObject w = policy.status().getJsonObject("sim").getJsonArray("workers").getJsonObject(0);
    assertEquals(4, w.getInteger("capacity"));
    assertEquals(4, w.getInteger("maxBatchSize"));
  }

  @Test
  void requestsGoToTheBatchingWorkerWithRoomBeforeAnyWaitsAheadOnABusyOne() {
    policy.onHeartbeat(heartbeat("a", 1).put("maxBatchSize", 4));
    policy.onHeartbeat(heartbeat("b", 1).put("maxBatchSize", 4));
    for (int i = 0; i < 8; i++) {
      submit("" + i);
    }
    assertEquals(4, bus.to("a").size());
    assertEquals(4, bus.to("b").size());
    submit("8");
    assertEquals(9, bus.sent.size(), "one ahead on a busy worker");
    String busy = bus.last().workerId();
    String other = busy.equals("a") ? "b" : "a";
    for (FakeTransport.Sent s : bus.to(other)) {
      policy.onReply(other, s.dispatchId(), ok("done"), -1);
    }
    assertEquals(List.of(new FakeTransport.Withdrawal(busy, bus.last().dispatchId())), bus.withdrawals,
        "the request ahead on the busy worker is taken back for the one with room");
  }

  @Test
  void anIdleWorkerJoiningTakesBackTheRequestHeldAheadOnABusyOne() {
    HeldAhead h = holdOneAheadThenJoinAnIdleWorker();
    Client ahead = h.client();
    FakeTransport.Sent held = h.held();
    assertEquals(List.of(new FakeTransport.Withdrawal("a", held.dispatchId())), bus.withdrawals);
    policy.onReply("a", held.dispatchId(), WireFormat.returned(), -1);
    FakeTransport.Sent moved = bus.last();
    assertEquals("b", moved.workerId());
    assertEquals("2", moved.request().query("q"));
    policy.onReply("b", moved.dispatchId(), ok("from b"), -1);
    assertEquals("from b", text(ahead.only()));
  }

  @Test
  void aWithdrawnRequestThatReturnsIsNotCountedAsAnAttempt() {
    HeldAhead h = holdOneAheadThenJoinAnIdleWorker();
    Client c = h.client();
    policy.onReply("a", h.held().dispatchId(), WireFormat.returned(), -1);
    FakeTransport.Sent onB = bus.last();
    join("c", 1);
    // b dies with it: one retry is still due, since the withdrawal was no attempt
    onlyTheseStayAlive(1_800, "a", "c");
    FakeTransport.Sent retried = bus.last();
    assertEquals("c", retried.workerId());
    assertEquals("2", retried.request().query("q"));
    assertTrue(c.answers.isEmpty());
    policy.onReply("c", retried.dispatchId(), ok("from c"), -1);
    assertEquals("from c", text(c.only()));
    assertTrue(onB.dispatchId() != retried.dispatchId());
  }

  @Test
  void aWithdrawalTooLateToStopTheInferenceYieldsItsAnswer() {
    HeldAhead h = holdOneAheadThenJoinAnIdleWorker();
    Client c = h.client();
    FakeTransport.Sent held = h.held();
    policy.onReply("a", held.dispatchId(), ok("a started it"), -1);
    assertEquals("a started it", text(c.only()));
    assertEquals(1, bus.to("a").size() + bus.to("b").size() - 1, "nothing was sent twice");
  }

  @Test
  void aWorkerThatDiesDuringAWithdrawalHasItsRequestsRetriedOnceElsewhere() {
    join("a", 1);
    Client running = submit("1");
    Client ahead = submit("2");
    join("b", 1);
    assertEquals(1, bus.withdrawals.size());
    onlyTheseStayAlive(1_800, "b");
    // both go to b: the first at once, the second ahead of it
    List<FakeTransport.Sent> onB = bus.to("b");
    assertEquals(List.of("1", "2"), onB.stream().map(s -> s.request().query("q")).toList());
    policy.onReply("b", onB.get(0).dispatchId(), ok("1 on b"), -1);
    policy.onReply("b", onB.get(1).dispatchId(), ok("2 on b"), -1);
    assertEquals("1 on b", text(running.only()));
    assertEquals("2 on b", text(ahead.only()));
  }

  @Test
  void aLateReplyFromADroppedWorkerIsIgnored() {
    OneOfTwo r = submitToOneOfTwo();
    onlyTheseStayAlive(1_800, r.other());
    FakeTransport.Sent retry = bus.last();
    assertEquals(r.other(), retry.workerId());
    policy.onReply(r.worker(), r.first().dispatchId(), ok("late"), -1);
    assertTrue(r.client().answers.isEmpty(), "the late answer of the dropped worker is not used");
    policy.onReply(r.other(), retry.dispatchId(), ok("retried"), -1);
    assertEquals("retried", text(r.client().only()));
  }

  @Test
  void aDroppedWorkerThatComesBackIsRegisteredAgainAndItsOldRepliesStayIgnored() {
    OneOfTwo r = submitToOneOfTwo();
    onlyTheseStayAlive(1_800, r.other());
    FakeTransport.Sent retry = bus.last();
    join(r.worker(), 1);
    assertEquals(2, policy.status().getJsonObject("sim").getInteger("liveWorkers"));
    policy.onReply(r.worker(), r.first().dispatchId(), ok("stale"), -1);
    assertTrue(r.client().answers.isEmpty());
    policy.onReply(r.other(), retry.dispatchId(), ok("fresh"), -1);
    assertEquals("fresh", text(r.client().only()));
  }

  @Test
  void aRequestIsRetriedOnceOnlyThen502() {
    OneOfThree r = submitToOneOfThree();
    Client c = r.client();
    String first = r.worker();
    List<String> alive = new ArrayList<>(List.of("a", "b", "c"));
    alive.remove(first);
    onlyTheseStayAlive(1_800, alive.toArray(String[]::new));
    String second = bus.last().workerId();
    alive.remove(second);
    assertEquals(1, alive.size());
    onlyTheseStayAlive(1_800, alive.get(0));
    assertEquals(502, c.only().status());
    assertEquals(2, bus.sent.size(), "never a third dispatch");
  }

  @Test
  void aQueuedRequestPastItsDeadlineAnswers504() {
    join("a", 1);
    submit("1");
    submit("2");
    Client queued = submit("3");
    onlyTheseStayAlive(10_500, "a");
    ApiResponse r = queued.only();
    assertEquals(504, r.status());
    assertTrue(r.bodyText().contains("still queued"), r.bodyText());
    assertEquals(0, policy.status().getJsonObject("sim").getInteger("queued"));
  }

  @Test
  void aDispatchedRequestPastItsDeadlineAnswers504AndKeepsItsSlotUntilTheWorkerAnswers() {
    join("a", 1);
    Client c = submit("1");
    FakeTransport.Sent s = bus.last();
    onlyTheseStayAlive(10_500, "a");
    assertEquals(504, c.only().status());
    submit("2");
    submit("3");
    assertEquals(2, bus.sent.size(), "one running past its deadline, one ahead: nothing more");
    policy.onReply("a", s.dispatchId(), ok("too late"), -1);
    assertEquals(504, c.only().status());
    assertEquals(3, bus.sent.size());
  }

  @Test
  void withNoLiveWorkerLeftTheQueueIsAnswered503AtOnce() {
    join("a", 1);
    Client running = submit("1");
    submit("2");
    Client queued = submit("3");
    onlyTheseStayAlive(1_800);
    assertEquals(502, running.only().status());
    assertEquals(503, queued.only().status());
    assertEquals("1", queued.only().headers().get("Retry-After"));
  }

  @Test
  void admitSaysWhatSubmitWouldAnswer() {
    assertEquals(404, policy.admit("sim").status());
    join("a", 1);
    assertNull(policy.admit("sim"));
    policy.onDrain("a");
    assertEquals(503, policy.admit("sim").status());
  }

  @Test
  void aFullQueueRefusesWith503AndCountsTheRejection() {
    options.setMaxQueue(1);
    join("a", 1);
    submit("1");
    submit("2");
    submit("3");
    Client refused = submit("4");
    assertEquals(503, refused.only().status());
    assertEquals(1, policy.status().getJsonObject("sim").getInteger("rejected"));
    // the HTTP front refuses through admit, before the body: that counts too
    assertEquals(503, policy.admit("sim").status());
    assertEquals(2, policy.status().getJsonObject("sim").getInteger("rejected"));
  }

  JsonObject heartbeat(String id, int concurrency, int held) {
    return heartbeat(id, concurrency).put("held", held);
  }

  @Test
  void aWorkerBackAfterADropCountsAsBusyAsItSaysAndIsToldToGiveBackWhatWasRetried() {
    join("a", 1);
    Client c1 = submit("1");
    Client c2 = submit("2");
    List<Long> onA = bus.to("a").stream().map(FakeTransport.Sent::dispatchId).toList();
    join("b", 1);
    bus.withdrawals.clear();
    onlyTheseStayAlive(1_800, "b");
    assertEquals(List.of("1", "2"), bus.to("b").stream().map(s -> s.request().query("q")).toList());
    // a's heartbeats were only late: it comes back, its device still holding both requests
    policy.onHeartbeat(heartbeat("a", 1, 2));
    assertEquals(onA.stream().map(id -> new FakeTransport.Withdrawal("a", id)).toList(), bus.withdrawals);
    Client c3 = submit("3");
    assertEquals(2, bus.to("a").size(), "nothing more for a while it says it holds two");
    // a gave one back unstarted: the late 'returned' is ignored, and the reply says it holds one
    policy.onReply("a", onA.get(1), WireFormat.returned(), 1);
    assertEquals(3, bus.to("a").size(), "a holds one, its concurrency, so it may take one ahead");
    assertEquals("3", bus.to("a").get(2).request().query("q"));
    policy.onReply("a", onA.get(0), ok("stale"), 1);
    assertEquals(3, bus.to("a").size());
    assertTrue(c1.answers.isEmpty() && c2.answers.isEmpty() && c3.answers.isEmpty());
    List<FakeTransport.Sent> onB = bus.to("b");
    policy.onReply("b", onB.get(0).dispatchId(), ok("1"), 1);
    policy.onReply("b", onB.get(1).dispatchId(), ok("2"), 0);
    policy.onReply("a", bus.to("a").get(2).dispatchId(), ok("3"), 0);
    assertEquals("1", text(c1.only()));
    assertEquals("2", text(c2.only()));
    assertEquals("3", text(c3.only()));
  }

  @Test
  void aHeartbeatThatSaysTheDeviceIsFreeAgainOpensTheWorkerToWork() {
    policy.onHeartbeat(heartbeat("a", 2, 5));
    submit("1");
    assertEquals(0, bus.sent.size());
    assertEquals(5, policy.status().getJsonObject("sim").getJsonArray("workers").getJsonObject(0).getInteger("heldElsewhere"));
    policy.onHeartbeat(heartbeat("a", 2, 0));
    assertEquals(1, bus.sent.size());
  }

  @Test
  void dispatchIdsOfADroppedWorkerAreForgottenOnceTheirRequestsCannotMatterAnyMore() {
    join("a", 1);
    submit("1");
    onlyTheseStayAlive(1_800);
    onlyTheseStayAlive(12_000);
    join("a", 1);
    assertTrue(bus.withdrawals.isEmpty(), bus.withdrawals.toString());
  }

  JsonObject workerStatus(String id) {
    for (Object o : policy.status().getJsonObject("sim").getJsonArray("workers")) {
      if (((JsonObject) o).getString("id").equals(id)) {
        return (JsonObject) o;
      }
    }
    return null;
  }

  @Test
  void aStuckWorkerLeavesRoutingGivesBackWhatWaitsAheadAndReturnsWhenItsDeviceIsFree() {
    join("a", 1);
    Client running = submit("1");
    Client ahead = submit("2");
    List<FakeTransport.Sent> onA = bus.to("a");
    // the running inference overran its limit and ignores the interrupt
    policy.onReply("a", onA.get(0).dispatchId(), WireFormat.encodeResponse(ApiResponse.json(504, Map.of())), 2, 1);
    assertEquals(504, running.only().status());
    assertEquals("stuck", workerStatus("a").getString("state"));
    assertEquals(new FakeTransport.Withdrawal("a", onA.get(1).dispatchId()), bus.withdrawals.get(0));
    policy.onReply("a", onA.get(1).dispatchId(), WireFormat.returned(), 1, 1);
    assertEquals(2, bus.sent.size(), "nothing more for a stuck worker");
    assertEquals(0, policy.status().getJsonObject("sim").getInteger("liveWorkers"));
    join("b", 1);
    assertEquals("b", bus.last().workerId());
    assertEquals("2", bus.last().request().query("q"));
    policy.onReply("b", bus.last().dispatchId(), ok("2 on b"), 0, 0);
    assertEquals("2 on b", text(ahead.only()));
    // a's device is free again
    policy.onHeartbeat(heartbeat("a", 1, 0).put("stuck", 0));
    assertEquals("serving", workerStatus("a").getString("state"));
    submit("3");
    submit("4");
    List<String> lastTwo = bus.sent.subList(bus.sent.size() - 2, bus.sent.size()).stream()
        .map(FakeTransport.Sent::workerId).sorted().toList();
    assertEquals(List.of("a", "b"), lastTwo, "both routed at once, one to each");
  }

  @Test
  void aFullWorkerGivesTheRequestBackWithoutSpendingItsRetry() {
    OneOfTwo r = submitToOneOfTwo();
    Client c = r.client();
    String full = r.worker();
    String other = r.other();
    // another controller filled it meanwhile
    policy.onReply(full, r.first().dispatchId(), WireFormat.full(), 2, 0);
    assertEquals(other, bus.last().workerId());
    assertEquals(2, workerStatus(full).getInteger("heldElsewhere"));
    // other dies with it: the request still has its one retry, on the worker that was full
    policy.onHeartbeat(heartbeat(full, 1, 0));
    onlyTheseStayAlive(1_800, full);
    assertEquals(full, bus.last().workerId());
    policy.onReply(full, bus.last().dispatchId(), ok("done"), 0, 0);
    assertEquals("done", text(c.only()));
  }

  @Test
  void aRequestThatFoundNoHandlerNeverRanAndKeepsItsRetry() {
    OneOfThree r = submitToOneOfThree();
    Client c = r.client();
    String first = r.worker();
    // the message reached no handler (the worker's registration is gone or not there yet)
    policy.onFailure(first, bus.last().dispatchId(), DispatchPolicy.Failure.GONE, "No handlers for address");
    String second = bus.last().workerId();
    assertTrue(!second.equals(first), "sent to another worker: " + second);
    assertEquals(2, bus.sent.size());
    List<String> alive = new ArrayList<>(List.of("a", "b", "c"));
    alive.remove(first);
    alive.remove(second);
    // the second worker dies with it: the one retry the request has is still its own
    onlyTheseStayAlive(1_800, alive.get(0));
    assertEquals(alive.get(0), bus.last().workerId());
    policy.onReply(alive.get(0), bus.last().dispatchId(), ok("done"), 0, 0);
    assertEquals("done", text(c.only()));
  }

  @Test
  void aWorkerDroppedAsNoLongerListeningIsNotTakenBackForASecondSoItsRegistrationCanSpread() {
    join("a", 1);
    join("b", 1);
    Client c = submit("1");
    String first = bus.last().workerId();
    String other = first.equals("a") ? "b" : "a";
    policy.onFailure(first, bus.last().dispatchId(), DispatchPolicy.Failure.GONE, "No handlers for address");
    assertNull(workerStatus(first));
    // its heartbeats (which travel to another address) go on: not taken back at once
    bus.advance(300);
    join(first, 1);
    assertNull(workerStatus(first), "taken back 300 ms after its address had no handler");
    bus.advance(DispatchPolicy.REJOIN_AFTER_GONE_MS);
    join(first, 1);
    assertTrue(workerStatus(first) != null, "taken back after the quiet time");
    policy.onReply(other, bus.sent.get(1).dispatchId(), ok("done"), 0, 0);
    assertEquals("done", text(c.only()));
  }

  @Test
  void aWorkerWhoseAddressHadNoHandlerIsNamedUntilItRepliesOrFiveSecondsPass() {
    join("a", 1);
    join("b", 1);
    submit("1");
    String first = bus.last().workerId();
    policy.onFailure(first, bus.last().dispatchId(), DispatchPolicy.Failure.GONE, "No handlers for address");
    assertEquals(List.of(first), policy.notListening(5_000));
    // back, and a reply from it: its address has a handler again
    bus.advance(DispatchPolicy.REJOIN_AFTER_GONE_MS);
    join(first, 1);
    submit("2");
    FakeTransport.Sent toFirst = bus.sent.stream().filter(x -> x.workerId().equals(first)).reduce((x, y) -> y).orElseThrow();
    assertTrue(toFirst.dispatchId() != bus.sent.get(0).dispatchId(), "a new dispatch to " + first);
    policy.onReply(first, toFirst.dispatchId(), ok("2"), 0, 0);
    assertEquals(List.of(), policy.notListening(5_000));
    // and one never heard from again is forgotten after the time given
    submit("3");
    FakeTransport.Sent third = bus.last();
    policy.onFailure(third.workerId(), third.dispatchId(), DispatchPolicy.Failure.GONE, "No handlers for address");
    assertEquals(List.of(third.workerId()), policy.notListening(5_000));
    bus.advance(5_001);
    assertEquals(List.of(), policy.notListening(5_000));
  }

  @Test
  void twoControllersSeeEachOthersLoadThroughTheWorkersRepliesAndHeartbeats() {
    FakeTransport bus2 = new FakeTransport();
    DispatchPolicy other = new DispatchPolicy(options, bus2, bus2);
    for (DispatchPolicy p : List.of(policy, other)) {
      p.onHeartbeat(heartbeat("a", 1, 0));
      p.onHeartbeat(heartbeat("b", 1, 0));
    }
    for (int i = 0; i < 4; i++) {
      submit("" + i);
    }
    assertEquals(2, bus.to("a").size());
    assertEquals(2, bus.to("b").size());
    // the other controller has heard nothing since: it tries, and each worker gives it back full
    Client c = new Client();
    other.submit("sim", ApiRequest.builder().path("/sim").query("q", "x").build(), c.answers::add);
    FakeTransport.Sent tried = bus2.last();
    other.onReply(tried.workerId(), tried.dispatchId(), WireFormat.full(), 2, 0);
    FakeTransport.Sent triedAgain = bus2.last();
    other.onReply(triedAgain.workerId(), triedAgain.dispatchId(), WireFormat.full(), 2, 0);
    assertEquals(2, bus2.sent.size(), "nothing more while both say they are full");
    assertTrue(c.answers.isEmpty());
    // a finishes one of the first controller's: its heartbeat says it holds one
    policy.onReply("a", bus.to("a").get(0).dispatchId(), ok("0"), 1, 0);
    other.onHeartbeat(heartbeat("a", 1, 1));
    assertEquals(3, bus2.sent.size());
    assertEquals("a", bus2.last().workerId(), "the other controller's request waits ahead on a");
    other.onReply("a", bus2.last().dispatchId(), ok("x"), 1, 0);
    assertEquals("x", text(c.only()));
  }

  @Test
  void aQueuedRequestWhoseClientLeftIsDroppedAndNeverSent() {
    join("a", 1);
    submit("1");
    submit("2");
    Client gone = new Client();
    Runnable leave = submitAndKeep("3", gone);
    leave.run();
    JsonObject sim = policy.status().getJsonObject("sim");
    assertEquals(0, sim.getInteger("queued"));
    assertEquals(1, sim.getInteger("abandoned"));
    policy.onReply("a", bus.to("a").get(0).dispatchId(), ok("1"), 1, 0);
    policy.onReply("a", bus.to("a").get(1).dispatchId(), ok("2"), 0, 0);
    assertEquals(2, bus.sent.size(), "the abandoned request never went out");
    assertTrue(bus.cancellations.isEmpty());
  }

  @Test
  void aDispatchedRequestWhoseClientLeftIsCancelledOnItsWorkerAndKeepsItsSlotUntilItReplies() {
    join("a", 1);
    Client gone = new Client();
    Runnable leave = submitAndKeep("1", gone);
    Client aheadGone = new Client();
    Runnable leaveAhead = submitAndKeep("2", aheadGone);
    List<FakeTransport.Sent> onA = bus.to("a");
    leave.run();
    leaveAhead.run();
    assertEquals(List.of(new FakeTransport.Withdrawal("a", onA.get(0).dispatchId()),
        new FakeTransport.Withdrawal("a", onA.get(1).dispatchId())), bus.cancellations);
    Client next = submit("3");
    assertEquals(2, bus.sent.size(), "the device is still busy with the cancelled inference");
    // the unstarted one comes back: not queued again, since nobody wants it
    policy.onReply("a", onA.get(1).dispatchId(), WireFormat.returned(), 1, 0);
    assertEquals("3", bus.last().request().query("q"));
    policy.onReply("a", onA.get(0).dispatchId(), ok("stopped early"), 1, 0);
    policy.onReply("a", bus.last().dispatchId(), ok("3"), 0, 0);
    assertEquals("3", text(next.only()));
    assertEquals(499, gone.only().status(), "answered once, to nobody");
    assertEquals(499, aheadGone.only().status());
    assertEquals(3, bus.sent.size());
  }

  @Test
  void aRequestQueuedLongerThanTheMaxQueueWaitAnswers503WithRetryAfter() {
    options.setMaxQueueWaitMs(1_000);
    join("a", 1);
    Client running = submit("1");
    Client ahead = submit("2");
    Client queued = submit("3");
    bus.advance(999);
    assertTrue(queued.answers.isEmpty());
    bus.advance(1);
    assertEquals(503, queued.only().status());
    assertEquals("1", queued.only().headers().get("Retry-After"));
    assertEquals(0, policy.status().getJsonObject("sim").getInteger("queued"));
    // what went to a worker in time is not cut short, however long it then takes
    bus.advance(5_000);
    join("a", 1);
    policy.onReply("a", bus.to("a").get(0).dispatchId(), ok("1"), 1, 0);
    policy.onReply("a", bus.to("a").get(1).dispatchId(), ok("2"), 0, 0);
    assertEquals("1", text(running.only()));
    assertEquals("2", text(ahead.only()));
    assertEquals(2, bus.sent.size());
    assertEquals(0, bus.timers());
  }

  @Test
  void withoutMaxQueueWaitAQueuedRequestWaitsForItsDeadline() {
    join("a", 1);
    submit("1");
    submit("2");
    Client queued = submit("3");
    onlyTheseStayAlive(9_000, "a");
    assertTrue(queued.answers.isEmpty(), "9 s in the queue, within the 10 s timeout");
  }

  @Test
  void anAnswerThatDoesNotDecodeAnswers502AtOnceAndFreesTheSlot() {
    join("a", 1);
    Client c = submit("1");
    policy.onReply("a", bus.last().dispatchId(), Buffer.buffer(new byte[] {3, 0, 0, 0}), 0, 0);
    ApiResponse r = c.only();
    assertEquals(502, r.status());
    assertTrue(r.bodyText().contains("does not decode"), r.bodyText());
    assertEquals("a", r.headers().get("X-Model-Serve-Worker"));
    assertEquals(0, bus.timers());
    Client next = submit("2");
    assertEquals("2", bus.last().request().query("q"));
    policy.onReply("a", bus.last().dispatchId(), Buffer.buffer(new byte[] {99}), 0, 0);
    assertEquals(502, next.only().status());
    assertEquals(2, policy.status().getJsonObject("sim").getInteger("failed"));
  }

  static ApiResponse streamed() {
    return ApiResponse.events(out -> { });
  }

  @Test
  void aStreamingWorkerKeepsItsSlotBusyThroughWhatItSaysItHolds() {
    join("a", 1);
    join("b", 1);
    Client c = submit("1");
    FakeTransport.Sent s = bus.last();
    // the head of a stream: answered here, but the device still runs the writer (held 1)
    assertTrue(policy.onAnswer(s.workerId(), s.dispatchId(), streamed(), 1, 0));
    assertTrue(c.only().isStream());
    String other = s.workerId().equals("a") ? "b" : "a";
    submit("2");
    assertEquals(other, bus.last().workerId(), "the idle worker, not the streaming one, gets the next request");
    // both busy: one may wait ahead on each, the streaming one included, and no more
    submit("3");
    submit("4");
    Client fifth = submit("5");
    assertEquals(2, bus.to(s.workerId()).size());
    assertTrue(fifth.answers.isEmpty());
    // the stream ended: the worker's heartbeat says only the request ahead is held
    policy.onHeartbeat(heartbeat(s.workerId(), 1).put("held", 1));
    assertTrue(fifth.answers.isEmpty());
  }

  @Test
  void aStreamHeadThatNobodyWaitsForIsRefused() {
    join("a", 1);
    Runnable leave = submitAndKeep("1", new Client());
    long id = bus.last().dispatchId();
    leave.run();
    assertEquals(false, policy.onAnswer("a", id, streamed(), 1, 0));
  }

  @Test
  void aStartedStreamWaitsForItsFirstChunkUnderItsOwnTimeoutNotTheRequests() {
    options.setStreamFirstChunkTimeoutMs(30_000);
    join("a", 1);
    Client c = submit("1");
    long id = bus.last().dispatchId();
    bus.advance(5_000);
    policy.onStreamStarted("a", id);
    bus.advance(20_000);
    assertTrue(c.answers.isEmpty(), "past the request's 10 s, within the first chunk's 30 s");
    bus.advance(10_001);
    assertEquals(504, c.only().status());
    assertTrue(c.only().bodyText().contains("first chunk"), c.only().bodyText());
    assertEquals(1, bus.cancellations.size(), "the worker is told to stop");
  }

  @Test
  void aDroppedWorkerIsReportedSoThatItsStreamsEnd() {
    List<String> dropped = new ArrayList<>();
    policy.onDropped((id, why) -> dropped.add(id + ": " + why));
    join("a", 1);
    policy.onLeft("a");
    assertEquals(List.of("a: left"), dropped);
  }
}
