package io.modelserve.impl.worker;

import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.Model;
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
  private volatile Model model;

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

  /** Creates the model and runs {@code init(device)} on a device thread. */
  public Future<Void> init(Class<? extends Model> type, String device) {
    Promise<Void> promise = Promise.promise();
    executor.execute(() -> {
      try {
        Model m = type.getDeclaredConstructor().newInstance();
        long start = System.nanoTime();
        m.init(device);
        model = m;
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
    Inference job = new Inference(request);
    job.task = executor.submit(job::run);
    long timer = vertx.setTimer(Math.max(1, timeoutMs), id -> {
      boolean neverStarted = job.state.compareAndSet(QUEUED, WITHDRAWN);
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

  /** One queued or running inference. */
  public final class Inference {
    private final ApiRequest request;
    private final Promise<ApiResponse> promise = Promise.promise();
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private java.util.concurrent.Future<?> task;

    private Inference(ApiRequest request) {
      this.request = request;
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
      task.cancel(false);
      promise.tryComplete(null);
      return true;
    }

    private void run() {
      if (!state.compareAndSet(QUEUED, RUNNING)) {
        return;
      }
      running.incrementAndGet();
      try {
        ApiResponse r = model.inference(request);
        if (r == null) {
          throw new IllegalStateException("inference returned null");
        }
        ApiResponse answer = isFinal(r.status()) ? r : badStatus(r.status());
        context.runOnContext(v -> promise.tryComplete(answer));
      } catch (ApiException e) {
        ApiResponse answer = isFinal(e.status()) ? Errors.json(e.status(), e.getMessage(), service, null) : badStatus(e.status());
        context.runOnContext(v -> promise.tryComplete(answer));
      } catch (Throwable t) {
        if (!(t instanceof InterruptedException)) {
          log.warn("'{}' inference failed: {}", service, t.toString());
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        context.runOnContext(v -> promise.tryComplete(Errors.json(500, message, service, null)));
      } finally {
        running.decrementAndGet();
      }
    }
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

  /** Requests waiting for a device thread. */
  public int waiting() {
    return executor.getQueue().size();
  }

  public void close() {
    executor.shutdownNow();
  }

}
