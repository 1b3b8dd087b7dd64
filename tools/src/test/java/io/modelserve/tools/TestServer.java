package io.modelserve.tools;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 that records every request it receives and how many were
 * in flight at once. Paths choose the answer: {@code /fail} 500, {@code /every-4th-fails}
 * 500 for every fourth arrival, {@code /slow} 200 after a few milliseconds, {@code /hang}
 * never, anything else 200 with a small JSON body.
 */
final class TestServer {

  /** One file part as the server decoded it. */
  record Upload(String field, String fileName, String contentType, Buffer bytes) {}

  /** What one request carried, as the server decoded it. */
  record Received(String method, String path, MultiMap query, MultiMap headers,
      Map<String, String> form, List<Upload> uploads, Buffer body) {}

  private static final long SLOW_MS = 5;

  private final Vertx vertx;
  private final Queue<Received> received = new ConcurrentLinkedQueue<>();
  private final AtomicInteger arrivals = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private HttpServer server;

  private TestServer(Vertx vertx) {
    this.vertx = vertx;
  }

  static Future<TestServer> start(Vertx vertx) {
    TestServer test = new TestServer(vertx);
    return vertx.createHttpServer()
        .requestHandler(test::handle)
        .listen(0, "127.0.0.1")
        .map(server -> {
          test.server = server;
          return test;
        });
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  int arrivals() { return arrivals.get(); }

  int maxInFlight() { return maxInFlight.get(); }

  List<Received> received() { return new ArrayList<>(received); }

  Received last() {
    List<Received> all = received();
    return all.get(all.size() - 1);
  }

  Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    int arrival = arrivals.incrementAndGet();
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    String type = String.valueOf(request.getHeader("Content-Type"));
    List<Upload> uploads = new ArrayList<>();
    Future<Buffer> body;
    if (type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded")) {
      request.setExpectMultipart(true);
      request.uploadHandler(upload -> {
        Buffer bytes = Buffer.buffer();
        upload.handler(bytes::appendBuffer);
        upload.endHandler(v -> uploads.add(
            new Upload(upload.name(), upload.filename(), upload.contentType(), bytes)));
      });
      body = request.end().map(v -> Buffer.buffer());
    } else {
      body = request.body();
    }
    body.onSuccess(bytes -> {
      Map<String, String> form = new LinkedHashMap<>();
      request.formAttributes().forEach(e -> form.put(e.getKey(), e.getValue()));
      received.add(new Received(request.method().name(), request.path(),
          MultiMap.caseInsensitiveMultiMap().addAll(request.params()),
          MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), form, uploads, bytes));
      switch (request.path()) {
        case "/fail" -> answer(request, 500);
        case "/every-4th-fails" -> answer(request, arrival % 4 == 0 ? 500 : 200);
        case "/slow" -> vertx.setTimer(SLOW_MS, id -> answer(request, 200));
        case "/hang" -> { } // never answers: the client's timeout must end it
        default -> answer(request, 200);
      }
    });
  }

  private void answer(HttpServerRequest request, int status) {
    inFlight.decrementAndGet();
    request.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", status).put("path", request.path()).encode());
  }
}
