package io.modelserve.bench;

import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.Model;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The echo example's stream service called in this JVM: {@code inference} builds the answer and
 * its writer is run on a stream that only notes when the first bytes come. That is the time to
 * first event with no server, no cluster and no network.
 *
 * <p>The streaming API ({@code ApiResponse.streamWriter()}, {@code StreamWriter},
 * {@code ResponseStream}) is reached by reflection, so that the suite builds, and skips this
 * scenario, on a branch that does not have it yet.
 */
final class StreamInProcess {

  static final String SERVICE_CLASS = "io.modelserve.examples.echo.StreamService";

  private final Model model;
  private final Method streamWriter;
  private final Method write;
  private final Class<?> responseStream;

  private StreamInProcess(Model model, Method streamWriter, Method write, Class<?> responseStream) {
    this.model = model;
    this.streamWriter = streamWriter;
    this.write = write;
    this.responseStream = responseStream;
  }

  /** The service, or null with the reason in {@code why[0]} when this build lacks streaming. */
  static StreamInProcess load(String[] why) {
    try {
      Class<?> responseStream = Class.forName("io.modelserve.ResponseStream");
      Class<?> writer = Class.forName("io.modelserve.StreamWriter");
      Model model = (Model) Class.forName(SERVICE_CLASS).getDeclaredConstructor().newInstance();
      return new StreamInProcess(model, ApiResponse.class.getMethod("streamWriter"),
          writer.getMethod("write", responseStream), responseStream);
    } catch (ReflectiveOperationException | LinkageError e) {
      why[0] = e.toString();
      return null;
    }
  }

  /** Milliseconds from the request's arrival at the model to its first event's bytes. */
  double firstEventMs() throws Exception {
    ApiRequest request = ApiRequest.builder().method("GET").path("/stream").query("n", "1").query("ms", "0").build();
    long[] first = {0};
    InvocationHandler handler = (proxy, m, args) -> {
      if (m.isDefault()) {
        return InvocationHandler.invokeDefault(proxy, m, args);
      }
      return switch (m.getName()) {
        case "write" -> {
          if (first[0] == 0) {
            first[0] = System.nanoTime();
          }
          yield null;
        }
        case "cancelled", "equals" -> false;
        case "hashCode" -> 0;
        default -> "in-process stream";
      };
    };
    Object out = Proxy.newProxyInstance(responseStream.getClassLoader(), new Class<?>[] {responseStream}, handler);
    long start = System.nanoTime();
    ApiResponse answer = model.inference(request);
    write.invoke(streamWriter.invoke(answer), out);
    return (first[0] - start) / 1e6;
  }
}
