package io.modelserve.impl.worker;

import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.BatchModel;
import io.modelserve.Model;
import io.modelserve.Settings;
import io.modelserve.impl.Errors;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads bound to one device: the model is created and initialised on them, and every
 * inference runs on them, {@code concurrency} at a time, never on an event loop. Work beyond
 * that waits in this runner's queue; when a device thread frees, it takes everything that waits
 * there, up to the batch size, as one batch (a model that does not batch gets one at a time).
 */
public final class DeviceRunner {

  private static final Logger log = LoggerFactory.getLogger(DeviceRunner.class);

  private final Vertx vertx;
  private final Context context;
  private final String service;
  private final ThreadPoolExecutor executor;
  private final AtomicInteger running = new AtomicInteger();
  /** Inferences queued or running on the device, timed-out ones included until they really end. */
  private final AtomicInteger occupied = new AtomicInteger();
  /** Inferences still running past their time limit, deaf to the interrupt. */
  private final java.util.Set<Inference> overrunning = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile Model model;
  private final int maxBatchSize;
  private final long maxBatchDelayNanos;
  /** Inferences not started yet, oldest first; also the monitor a filling batch waits on. */
  private final ArrayDeque<Inference> waiting = new ArrayDeque<>();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong batchedRequests = new AtomicLong();
  private volatile int lastBatchSize;
  /** A model call's usual duration, smoothed. */
  private volatile long meanBatchNanos;
  private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

  public DeviceRunner(Vertx vertx, String service, String device, int concurrency) {
    this(vertx, service, device, concurrency, 1, 0);
  }

  /**
   * @param maxBatchSize the most requests one model call gets (more than 1 only for a {@link BatchModel})
   * @param maxBatchDelayMs how long a batch that is not full may wait for more; 0 never waits
   */
  public DeviceRunner(Vertx vertx, String service, String device, int concurrency, int maxBatchSize,
      long maxBatchDelayMs) {
    this.maxBatchSize = Math.max(1, maxBatchSize);
    this.maxBatchDelayNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, maxBatchDelayMs));
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.service = service;
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "modelserve-device-" + device + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** Creates the model and runs {@code init(device, settings)} on a device thread. */
  public Future<Void> init(Class<? extends Model> type, String device, Settings settings) {
    Promise<Void> promise = Promise.promise();
    executor.execute(() -> {
      try {
        Model m = type.getDeclaredConstructor().newInstance();
        model = m;
        long start = System.nanoTime();
        m.init(device, settings);
        log.info("'{}' initialised on device {} in {} ms", service, device,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        context.runOnContext(v -> promise.complete());
      } catch (Throwable t) {
        context.runOnContext(v -> promise.fail(t));
      }
    });
    return promise.future();
  }

  /**
   * Queues one inference. Its result always succeeds with an answer: errors become JSON
   * answers (the status of an {@link ApiException}, 500 for anything else, 504 past
   * {@code timeoutMs}), and a withdrawn inference answers {@code null}.
   */
  public Inference infer(ApiRequest request, long timeoutMs) {
    return infer(request, timeoutMs, null);
  }

  /**
   * As {@link #infer(ApiRequest, long)}; a streamed answer's writer runs through {@code streams}
   * on the same device thread, which stays occupied until it returns. Once the writer runs,
   * {@code timeoutMs} no longer applies: the stream's own timeouts do. Without {@code streams}
   * (a direct call on the worker's port) a streamed answer is refused with 501.
   */
  public Inference infer(ApiRequest request, long timeoutMs, StreamHandler streams) {
    long now = System.nanoTime();
    Inference job = new Inference(request, now, now + TimeUnit.MILLISECONDS.toNanos(Math.max(1, timeoutMs)), streams);
    occupied.incrementAndGet();
    synchronized (waiting) {
      waiting.addLast(job);
      waiting.notifyAll();
    }
    // one turn of a device thread per request: each takes whatever waits, so some find nothing
    executor.execute(this::runNextBatch);
    long timer = vertx.setTimer(Math.max(1, timeoutMs), id -> timeOut(job, timeoutMs));
    job.promise.future().onComplete(ar -> vertx.cancelTimer(timer));
    return job;
  }

  private void timeOut(Inference job, long timeoutMs) {
    boolean neverStarted = job.state.compareAndSet(QUEUED, WITHDRAWN);
    if (neverStarted) {
      unqueue(job);
      occupied.decrementAndGet();
    }
    boolean overran = !neverStarted && job.state.compareAndSet(RUNNING, OVERRUN);
    if (!neverStarted && !overran && job.streaming) {
      // a stream that started in time is bounded by its chunk timeouts instead
      return;
    }
    if (job.promise.tryComplete(Errors.json(504, "inference took longer than " + timeoutMs + " ms", service, null))
        && overran) {
      // interrupting lets a model that honours interrupts free the device for the next request,
      // once nobody waits for any answer of the batch
      job.batch.interruptIfAbandoned();
    }
  }

  private void unqueue(Inference job) {
    synchronized (waiting) {
      waiting.remove(job);
    }
  }

  /**
   * A device thread's turn: takes everything that waits, up to the batch size, and runs it as
   * one batch. With {@code maxBatchDelay} it waits that long (from the oldest request's arrival,
   * never past a request's deadline) for a fuller batch; without, a lone request runs at once.
   */
  private void runNextBatch() {
    List<Inference> taken = new ArrayList<>(maxBatchSize);
    synchronized (waiting) {
      takeWaiting(taken);
      if (!taken.isEmpty() && maxBatchDelayNanos > 0) {
        long until = taken.get(0).queuedNanos + maxBatchDelayNanos;
        for (long left = waitLeft(taken, until); taken.size() < maxBatchSize && left > 0; left = waitLeft(taken, until)) {
          try {
            TimeUnit.NANOSECONDS.timedWait(waiting, left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
          takeWaiting(taken);
        }
      }
    }
    List<Inference> batch = new ArrayList<>(taken.size());
    for (Inference job : taken) {
      // withdrawn or timed out while the batch filled: not run
      if (job.state.compareAndSet(QUEUED, RUNNING)) {
        batch.add(job);
      }
    }
    if (!batch.isEmpty()) {
      run(new Batch(batch));
    }
    Thread.interrupted();
  }

  /** Moves waiting inferences into {@code taken}, up to the batch size; holds {@code waiting}'s lock. */
  private void takeWaiting(List<Inference> taken) {
    while (taken.size() < maxBatchSize && !waiting.isEmpty()) {
      Inference job = waiting.pollFirst();
      if (job.state.get() == QUEUED) {
        taken.add(job);
      }
    }
  }

  private long waitLeft(List<Inference> taken, long until) {
    return Math.min(until, earliestDeadline(taken) - deadlineMargin()) - System.nanoTime();
  }

  /**
   * How long before its earliest deadline a filling batch stops waiting: twice a batch's usual
   * run time, at least 10 ms, so that waiting for company never costs a request its answer.
   */
  private long deadlineMargin() {
    return Math.max(2 * meanBatchNanos, TimeUnit.MILLISECONDS.toNanos(10));
  }

  private static long earliestDeadline(List<Inference> jobs) {
    long min = Long.MAX_VALUE;
    for (Inference job : jobs) {
      min = Math.min(min, job.deadlineNanos);
    }
    return min;
  }

  private void run(Batch batch) {
    List<Inference> jobs = batch.jobs;
    running.addAndGet(jobs.size());
    batches.incrementAndGet();
    batchedRequests.addAndGet(jobs.size());
    lastBatchSize = jobs.size();
    List<ApiResponse> answers;
    long started = System.nanoTime();
    try {
      answers = answers(jobs);
    } finally {
      long took = System.nanoTime() - started;
      meanBatchNanos = meanBatchNanos == 0 ? took : (meanBatchNanos * 4 + took) / 5;
      for (Inference job : jobs) {
        job.ranNanos = took;
      }
      batchListener.ran(jobs.size(), took);
      batch.end();
      for (Inference job : jobs) {
        if (job.state.getAndSet(DONE) == OVERRUN) {
          overrunning.remove(job);
        }
      }
      running.addAndGet(-jobs.size());
      // before the answers are handed over, so that what the worker reports with them is current
      occupied.addAndGet(-jobs.size());
    }
    for (int i = 0; i < jobs.size(); i++) {
      Inference job = jobs.get(i);
      ApiResponse answer = answers.get(i);
      context.runOnContext(v -> job.promise.tryComplete(answer));
    }
  }

  /** The model's answers for {@code jobs}, one each, errors included. */
  private List<ApiResponse> answers(List<Inference> jobs) {
    if (!(model instanceof BatchModel batching)) {
      Inference job = jobs.get(0);
      ApiResponse out = answerOne(() -> model.inference(job.request));
      return List.of(out.isStream() ? job.stream(out) : out);
    }
    if (jobs.size() == 1) {
      return List.of(noStream(answerOne(() -> only(batching.inferenceBatch(List.of(jobs.get(0).request))))));
    }
    List<ApiRequest> requests = new ArrayList<>(jobs.size());
    jobs.forEach(j -> requests.add(j.request));
    List<ApiResponse> out;
    try {
      out = batching.inferenceBatch(requests);
      if (out == null || out.size() != requests.size()) {
        throw new IllegalStateException("inferenceBatch answered " + (out == null ? "null" : out.size() + " answers")
            + " for " + requests.size() + " requests");
      }
    } catch (Throwable t) {
      if (t instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
        return jobs.stream().map(j -> failure(t)).toList();
      }
      // which item failed? each alone: only those that fail by themselves get an error
      log.warn("'{}' batch of {} failed ({}); running its requests one by one", service, jobs.size(), t.toString());
      List<ApiResponse> alone = new ArrayList<>(jobs.size());
      for (ApiRequest r : requests) {
        alone.add(answerOne(() -> only(batching.inferenceBatch(List.of(r)))));
      }
      return alone;
    }
    List<ApiResponse> checked = new ArrayList<>(out.size());
    for (ApiResponse r : out) {
      checked.add(r == null ? Errors.json(500, "inferenceBatch answered null for this request", service, null) : noStream(checked(r)));
    }
    return checked;
  }

  private static ApiResponse only(List<ApiResponse> answers) {
    if (answers == null || answers.size() != 1) {
      throw new IllegalStateException("inferenceBatch answered " + (answers == null ? "null" : answers.size() + " answers")
          + " for 1 request");
    }
    return answers.get(0);
  }

  private interface Call {
    ApiResponse call() throws Exception;
  }

  private ApiResponse answerOne(Call call) {
    try {
      ApiResponse out = call.call();
      if (out == null) {
        throw new IllegalStateException("inference returned null");
      }
      return checked(out);
    } catch (Throwable t) {
      return failure(t);
    }
  }

  /** Streams are for a plain {@code Model}: a batch's devices thread cannot hold one item open. */
  private ApiResponse noStream(ApiResponse out) {
    return out.isStream() ? Errors.json(500, "a BatchModel cannot answer with a stream (ApiResponse.stream/events): "
        + "serve streams from a Model", service, null) : out;
  }

  private ApiResponse checked(ApiResponse out) {
    return isFinal(out.status()) ? out : badStatus(out.status());
  }

  private ApiResponse failure(Throwable t) {
    if (t instanceof ApiException e) {
      return isFinal(e.status()) ? Errors.json(e.status(), e.getMessage(), service, null) : badStatus(e.status());
    }
    if (!(t instanceof InterruptedException)) {
      log.warn("'{}' inference failed: {}", service, t.toString());
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return Errors.json(500, message, service, null);
  }

  private static final int QUEUED = 0;
  private static final int RUNNING = 1;
  private static final int WITHDRAWN = 2;
  /** Still running after its 504: the model ignored the interrupt. */
  private static final int OVERRUN = 3;
  private static final int DONE = 4;
  /** Running a streamed answer's writer: the inference timeout no longer applies. */
  private static final int STREAMING = 5;
  /** How long past the interrupt an inference may take to stop before the device counts as stuck. */
  private static final long STUCK_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** The inferences one device thread runs together, and that thread. */
  private final class Batch {
    private final List<Inference> jobs;
    private final Thread thread = Thread.currentThread();
    private boolean ended;

    Batch(List<Inference> jobs) {
      this.jobs = jobs;
      jobs.forEach(j -> j.batch = this);
    }

    /**
     * Interrupts the batch once every one of its requests has been answered (timed out): nobody
     * waits for it any more. From then its inferences count as overrunning.
     */
    synchronized void interruptIfAbandoned() {
      if (ended) {
        return;
      }
      for (Inference job : jobs) {
        if (!job.promise.future().isComplete()) {
          return;
        }
      }
      long now = System.nanoTime();
      for (Inference job : jobs) {
        if (job.state.get() == OVERRUN) {
          job.overrunSinceNanos = now;
          overrunning.add(job);
        }
      }
      thread.interrupt();
    }

    synchronized void end() {
      ended = true;
      // an interrupt that came too late must not hit the thread's next batch
      Thread.interrupted();
    }
  }

  /** Hears of every batch the device ran (a lone request is a batch of one), on the device's thread. */
  public interface BatchListener {
    void ran(int size, long nanos);
  }

  private volatile BatchListener batchListener = (size, nanos) -> {};

  /** {@code listener} hears of every batch from now on (for metrics). */
  public void onBatch(BatchListener listener) {
    this.batchListener = listener;
  }

  /** One queued or running inference. */
  public final class Inference {
    private final ApiRequest request;
    private final long queuedNanos;
    private final long deadlineNanos;
    private final Promise<ApiResponse> promise = Promise.promise();
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private volatile Batch batch;
    private volatile long overrunSinceNanos;
    /** How long its batch ran (a stream: until its writer returned), once run. */
    private volatile long ranNanos;

    private final StreamHandler streams;
    private volatile boolean streaming;

    private Inference(ApiRequest request, long queuedNanos, long deadlineNanos, StreamHandler streams) {
      this.streams = streams;
      this.request = request;
      this.queuedNanos = queuedNanos;
      this.deadlineNanos = deadlineNanos;
    }

    /** Runs a streamed answer's writer here, holding the device; what to answer, if anything. */
    private ApiResponse stream(ApiResponse out) {
      if (streams == null) {
        return Errors.json(501, "this service answers with a stream, which only the controller serves: "
            + "call it through the controller", service, null);
      }
      streaming = true;
      if (!state.compareAndSet(RUNNING, STREAMING)) {
        // answered 504 already: nobody waits for the stream
        return out.withStatus(504);
      }
      return streams.run(out);
    }

    /** How long the model took over it (its whole batch); 0 until it has run. */
    public long ranNanos() {
      return ranNanos;
    }

    /** The answer; {@code null} when the inference was withdrawn before it started. */
    public Future<ApiResponse> result() {
      return promise.future();
    }

    /**
     * Takes the inference back if it has not started: the controller found an idle worker for
     * it. Returns whether it was withdrawn; a started inference runs to its end.
     */
    public boolean withdraw() {
      if (!state.compareAndSet(QUEUED, WITHDRAWN)) {
        return false;
      }
      unqueue(this);
      occupied.decrementAndGet();
      promise.tryComplete(null);
      return true;
    }
  }

  /**
   * Inferences that have run past their time limit and past the interrupt for a while: the
   * device is wedged on them (a native inference that ignores interrupts) until they end.
   */
  public int stuck() {
    long now = System.nanoTime();
    int n = 0;
    for (Inference job : overrunning) {
      if (now - job.overrunSinceNanos > STUCK_AFTER_NANOS) {
        n++;
      }
    }
    return n;
  }

  /**
   * An HTTP answer's status must be final: a 1xx would leave the client waiting for the real
   * answer, and a status outside 100-599 cannot be written at all.
   */
  static boolean isFinal(int status) {
    return status >= 200 && status <= 599;
  }

  private ApiResponse badStatus(int status) {
    log.warn("'{}' answered HTTP status {}; answering 500 instead", service, status);
    return Errors.json(500, "the model answered HTTP status " + status + ", which is not a final status (200-599)",
        service, null);
  }

  /** Inferences running on the device right now. */
  public int running() {
    return running.get();
  }

  /**
   * Inferences the device holds: waiting or running, including those already answered 504
   * that still run because the model ignores interrupts. What the worker reports as its load.
   */
  public int occupied() {
    return occupied.get();
  }

  /** Requests waiting for a device thread. */
  public int waiting() {
    synchronized (waiting) {
      return waiting.size();
    }
  }

  /** Model calls so far (a batch of several requests counts once). */
  public long batches() {
    return batches.get();
  }

  /** Requests run so far in those calls: divided by {@link #batches()}, the mean batch size. */
  public long batchedRequests() {
    return batchedRequests.get();
  }

  /** Requests in the last model call. */
  public int lastBatchSize() {
    return lastBatchSize;
  }

  /** The most requests one model call gets. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /**
   * Calls the model's {@code close()} on a device thread once the inferences running now have
   * ended (a worker closes its runner after draining), then stops the threads. Completes when
   * the model is closed, or at once when it was never created.
   */
  public Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    Model m = model;
    if (!closing.compareAndSet(false, true) || executor.isShutdown()) {
      executor.shutdownNow();
      closed.complete();
      return closed.future();
    }
    executor.execute(() -> {
      try {
        // with several device threads, the others may still be finishing an inference
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (running.get() > 0 && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        if (m != null) {
          m.close();
        }
      } catch (Throwable t) {
        log.warn("'{}' close() failed: {}", service, t.toString());
      } finally {
        context.runOnContext(v -> closed.complete());
      }
    });
    executor.shutdown();
    return closed.future();
  }


}
