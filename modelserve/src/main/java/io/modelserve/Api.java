package io.modelserve;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link Model} as a service served at {@code http://<controller>/<name>}.
 *
 * <pre>{@code
 * @Api(name = "custom")
 * public class Example implements Model { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Api {

  /** The service name: the first path segment of its URL and its event-bus address suffix. */
  String name();

  /**
   * How many inferences one worker runs at once on its device. One (the default) suits a
   * model that saturates its device; raise it for models that wait on I/O or use little of it.
   */
  int concurrency() default 1;

  /**
   * The most requests one {@link BatchModel#inferenceBatch} call gets (1, the default, runs
   * requests one by one). Overridden by the worker's {@code --max-batch-size}. Only a
   * {@link BatchModel} may set more than 1.
   */
  int maxBatchSize() default 1;

  /**
   * How long a batch that is not full may wait for more requests before it runs, in
   * milliseconds; never past a request's deadline. 0, the default, never waits: a lone request
   * runs at once. Overridden by the worker's {@code --max-batch-delay-ms}.
   */
  long maxBatchDelayMs() default 0;
}
