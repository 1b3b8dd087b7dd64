package io.modelserve.impl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A body arrives whole and byte-exact however the client cuts it into chunks. */
class HttpRequestReaderTest {

  static final long SHORT_IDLE_MS = 400;

  static Vertx vertx;
  static HttpServer server;
  static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(req ->
        HttpRequestReader.read(req, new BodyLimits(16L << 20, 100), req.path().equals("/short") ? SHORT_IDLE_MS : 10_000)
            .onSuccess(r -> req.response().end(r.body().length + " " + sha256(r.body())))
            .onFailure(e -> req.response().setStatusCode(e instanceof io.modelserve.ApiException a ? a.status() : 400)
                .end(e.getMessage())));
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    client = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void manySmallChunksMakeTheSameBytes() throws Exception {
    byte[] body = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(body);
    assertEquals(body.length + " " + sha256(body), send(body, 997));
  }

  @Test
  void oneChunkAndNoBodyToo() throws Exception {
    byte[] small = "hello".getBytes();
    assertEquals("5 " + sha256(small), send(small, small.length));
    assertEquals("0 " + sha256(new byte[0]), send(new byte[0], 1));
  }

  @Test
  void aBodyThatKeepsComingIsNotCutHoweverLongItTakes() throws Exception {
    // twelve chunks 100 ms apart: 1.2 s in all, three times the idle timeout, never idle for it
    assertEquals("12 " + sha256("abcdefghijkl".getBytes()), trickle("abcdefghijkl", 100, false));
  }

  @Test
  void aBodyThatStopsIsAnswered408() throws Exception {
    String answer = trickle("ab", 50, true);
    assertEquals(true, answer.startsWith("408 ") && answer.contains("stopped arriving"), answer);
  }

  /**
   * POSTs {@code text} to {@code /short} one byte every {@code gapMs}, ending the request unless
   * {@code stall}; returns "status body" for a failure, the body for a success.
   */
  private static String trickle(String text, long gapMs, boolean stall) throws Exception {
    HttpClientRequest req = client.request(new RequestOptions().setMethod(HttpMethod.POST)
        .setHost("127.0.0.1").setPort(server.actualPort()).setURI("/short"))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    req.setChunked(true);
    var answer = req.response().compose(r -> r.body().map(b -> r.statusCode() == 200 ? b.toString()
        : r.statusCode() + " " + b));
    int[] next = {0};
    vertx.setPeriodic(gapMs, id -> {
      if (next[0] < text.length()) {
        req.write(text.substring(next[0], next[0] + 1));
        next[0]++;
      } else {
        vertx.cancelTimer(id);
        if (!stall) {
          req.end();
        }
      }
    });
    return answer.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** POSTs {@code body} chunked, {@code piece} bytes a chunk; returns the server's "length sha256". */
  private static String send(byte[] body, int piece) throws Exception {
    HttpClientRequest req = client.request(new RequestOptions().setMethod(HttpMethod.POST)
        .setHost("127.0.0.1").setPort(server.actualPort()).setURI("/x")
        .putHeader("content-type", "application/octet-stream"))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    req.setChunked(true);
    var answer = req.response().compose(r -> r.body().map(Buffer::toString));
    for (int at = 0; at < body.length; at += piece) {
      byte[] part = new byte[Math.min(piece, body.length - at)];
      System.arraycopy(body, at, part, 0, part.length);
      req.write(Buffer.buffer(part));
    }
    req.end();
    return answer.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
