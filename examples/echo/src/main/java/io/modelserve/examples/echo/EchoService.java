package io.modelserve.examples.echo;

import io.modelserve.Api;
import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.Model;
import io.modelserve.UploadedFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Echoes what it received: query, form fields, files (name, type, size, SHA-256), JSON body.
 * With {@code ?fail=message} it throws, and with {@code ?sleep=ms} it takes that long, so the
 * tests can reach every edge of the server through it. {@code ?spin=ms} busy-spins for that much
 * of its thread's CPU time and ignores interrupts, as a native inference (ONNX Runtime) does; a
 * process that is stopped does not advance it. {@code ?wait=ms} waits that long unless the client
 * leaves first ({@code request.cancelled()}). Every answer counts the inferences this instance
 * started ({@code inferences}) and those that saw their client leave ({@code cancelled}).
 */
@Api(name = "echo", concurrency = 4)
public class EchoService implements Model {

  private String device;
  private final AtomicLong inferences = new AtomicLong();
  private final AtomicLong cancelled = new AtomicLong();

  @Override
  public void init(String device) {
    this.device = device;
  }

  @Override
  public ApiResponse inference(ApiRequest request) throws Exception {
    long started = inferences.incrementAndGet();
    String fail = request.query("fail");
    if (fail != null) {
      throw new IllegalStateException(fail);
    }
    String sleep = request.query("sleep");
    if (sleep != null) {
      Thread.sleep(Long.parseLong(sleep));
    }
    String wait = request.query("wait");
    if (wait != null) {
      long end = System.nanoTime() + Long.parseLong(wait) * 1_000_000;
      while (System.nanoTime() < end) {
        if (request.cancelled()) {
          cancelled.incrementAndGet();
          return ApiResponse.text("nobody is waiting");
        }
        Thread.sleep(5);
      }
    }
    String spin = request.query("spin");
    if (spin != null) {
      spin(Long.parseLong(spin));
    }
    if ("bytes".equals(request.query("as"))) {
      return ApiResponse.bytes(request.body(), "application/octet-stream");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("method", request.method());
    out.put("path", request.path());
    out.put("device", device);
    out.put("inferences", started);
    out.put("cancelled", cancelled.get());
    out.put("query", request.queryParams());
    out.put("form", request.formFields());
    Map<String, List<Map<String, Object>>> files = new LinkedHashMap<>();
    request.files().forEach((field, list) -> files.put(field, list.stream().map(EchoService::describe).toList()));
    out.put("files", files);
    String header = request.query("header");
    if (header != null) {
      // one request header as the model sees it (null when absent)
      out.put("header", request.header(header));
    }
    String type = request.contentType();
    if (type != null && type.startsWith("application/json")) {
      out.put("json", request.json(Object.class));
    } else if (request.body().length > 0 && files.isEmpty() && request.formFields().isEmpty()) {
      out.put("body", request.bodyText());
    }
    if (request.query("status") != null) {
      int status = Integer.parseInt(request.query("status"));
      if (status >= 400) {
        throw new ApiException(status, "asked for " + status);
      }
      return ApiResponse.json(status, out);
    }
    return ApiResponse.json(out);
  }

  /** Burns {@code millis} of this thread's CPU time, deaf to interrupts. */
  private static void spin(long millis) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long end = mx.getCurrentThreadCpuTime() + millis * 1_000_000;
    long x = 0;
    while (mx.getCurrentThreadCpuTime() < end) {
      for (int i = 0; i < 10_000; i++) {
        x += i ^ x;
      }
    }
    if (x == 42) {
      System.out.print("");
    }
  }

  private static Map<String, Object> describe(UploadedFile f) {
    try {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("fileName", f.fileName());
      m.put("contentType", f.contentType());
      m.put("size", f.size());
      m.put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(f.bytes())));
      return m;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
