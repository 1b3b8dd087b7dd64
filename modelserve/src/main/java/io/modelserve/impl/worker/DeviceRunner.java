package io.modelserve.impl.worker;

import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.Model;
import io.modelserve.Settings;
import io.modelserve.impl.Errors;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads bound to one device: the model is created and initialised on them, and every
 * inference runs on them, {@code concurrency} at a time, never on an event loop. Work beyond
 * that waits in this runner's queue, the one place a later batching step can take several
 * requests at once.
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
  private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

  public DeviceRunner(Vertx vertx, String service, String device, int concurrency) {
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
    Inference job = new Inference(request, streams);
    occupied.incrementAndGet();
    job.task = executor.submit(job::run);
    long timer = vertx.setTimer(Math.max(1, timeoutMs), id -> {
      boolean neverStarted = job.state.compareAndSet(QUEUED, WITHDRAWN);
      if (neverStarted) {
        occupied.decrementAndGet();
      }
      boolean overran = !neverStarted && job.state.compareAndSet(RUNNING, OVERRUN);
      if (!neverStarted && !overran && job.streaming) {
        // a stream that started in time is bounded by its chunk timeouts instead
        return;
      }
      if (overran) {
        job.overrunSinceNanos = System.nanoTime();
        overrunning.add(job);
        if (job.state.get() == DONE) {
          overrunning.remove(job);
        }
      }
      if (job.promise.tryComplete(Errors.json(504, "inference took longer than " + timeoutMs + " ms", service, null))) {
        // interrupting lets a model that honours interrupts free the device for the next request
        job.task.cancel(!neverStarted);
      }
    });
    job.promise.future().onComplete(ar -> vertx.cancelTimer(timer));
    return job;
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

  /** One queued or running inference. */
  public final class Inference {
    private final ApiRequest request;
    private final Promise<ApiResponse> promise = Promise.promise();
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private java.util.concurrent.Future<?> task;
    private volatile long overrunSinceNanos;
    private final StreamHandler streams;
    private volatile boolean streaming;

    private Inference(ApiRequest request, StreamHandler streams) {
      this.request = request;
      this.streams = streams;
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
      occupied.decrementAndGet();
      task.cancel(false);
      promise.tryComplete(null);
      return true;
    }

    private void run() {
      if (!state.compareAndSet(QUEUED, RUNNING)) {
        return;
      }
      running.incrementAndGet();
      ApiResponse out;
      try {
        out = model.inference(request);
        if (out == null) {
          throw new IllegalStateException("inference returned null");
        }
        if (!isFinal(out.status())) {
          out = badStatus(out.status());
        } else if (out.isStream()) {
          out = stream(out);
        }
      } catch (ApiException e) {
        out = isFinal(e.status()) ? Errors.json(e.status(), e.getMessage(), service, null) : badStatus(e.status());
      } catch (Throwable t) {
        if (!(t instanceof InterruptedException)) {
          log.warn("'{}' inference failed: {}", service, t.toString());
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        out = Errors.json(500, message, service, null);
      } finally {
        if (state.getAndSet(DONE) == OVERRUN) {
          overrunning.remove(this);
        }
        running.decrementAndGet();
        // before the answer is handed over, so that what the worker reports with it is current
        occupied.decrementAndGet();
      }
      ApiResponse answer = out;
      context.runOnContext(v -> promise.tryComplete(answer));
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
    return executor.getQueue().size();
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
