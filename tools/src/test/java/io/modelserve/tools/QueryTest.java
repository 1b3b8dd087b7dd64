package io.modelserve.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(60)
class QueryTest {

  private TestServer server;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void startServer(Vertx vertx, VertxTestContext context) {
    TestServer.start(vertx).onComplete(context.succeeding(started -> {
      server = started;
      context.completeNow();
    }));
  }

  @AfterEach
  void stopServer(VertxTestContext context) {
    server.close().onComplete(context.succeedingThenComplete());
  }

  private int run(String... args) {
    return Query.execute(args, new PrintWriter(out), new PrintWriter(err));
  }

  @Test
  void prints_the_status_line_and_the_json_body_indented() {
    int code = run("--url", server.url("/echo"), "--query", "text=hello world", "--query", "k=ü",
        "-H", "X-Api-Key:  secret ");

    assertEquals(0, code, err.toString());
    assertEquals("HTTP/1.1 200 OK\n{\n  \"status\" : 200,\n  \"path\" : \"/echo\"\n}\n",
        out.toString().replace(System.lineSeparator(), "\n"));
    TestServer.Received r = server.last();
    assertEquals("GET", r.method());
    assertEquals("hello world", r.query().get("text"));
    assertEquals("ü", r.query().get("k"));
    assertEquals("secret", r.headers().get("X-Api-Key"));
    assertEquals(1, server.arrivals());
  }

  @Test
  void form_fields_alone_are_sent_url_encoded_by_post() {
    assertEquals(0, run("--url", server.url("/echo"), "--form", "a=1 2", "--form", "b=x&y="));

    TestServer.Received r = server.last();
    assertEquals("POST", r.method());
    assertEquals("application/x-www-form-urlencoded", r.headers().get("Content-Type"));
    assertEquals(Map.of("a", "1 2", "b", "x&y="), r.form());
    assertTrue(r.uploads().isEmpty());
  }

  @Test
  void files_make_a_multipart_body_with_the_form_fields(@TempDir Path dir) throws Exception {
    Path text = Files.writeString(dir.resolve("note.txt"), "line one\r\n--not-a-boundary\r\n");
    Path wav = Files.write(dir.resolve("a.wav"), new byte[] {0, 1, 2, (byte) 255, 13, 10});

    int code = run("--url", server.url("/echo"), "--form", "lang=de", "--file", "doc=" + text,
        "--file", "audio=" + wav);

    assertEquals(0, code, err.toString());
    TestServer.Received r = server.last();
    assertTrue(r.headers().get("Content-Type").startsWith("multipart/form-data; boundary="));
    assertEquals(Map.of("lang", "de"), r.form());
    assertEquals(2, r.uploads().size());
    TestServer.Upload doc = r.uploads().get(0);
    assertEquals("doc", doc.field());
    assertEquals("note.txt", doc.fileName());
    assertEquals("text/plain", doc.contentType());
    assertEquals(Buffer.buffer(Files.readAllBytes(text)), doc.bytes());
    TestServer.Upload audio = r.uploads().get(1);
    assertEquals("audio/wav", audio.contentType());
    assertEquals(Buffer.buffer(Files.readAllBytes(wav)), audio.bytes());
  }

  @Test
  void json_from_text_or_file_is_the_body(@TempDir Path dir) throws Exception {
    assertEquals(0, run("--url", server.url("/echo"), "--json", "{\"text\": \"hi\"}", "-X", "put"));
    assertEquals("PUT", server.last().method());
    assertEquals("application/json", server.last().headers().get("Content-Type"));
    assertEquals("{\"text\": \"hi\"}", server.last().body().toString());

    Path file = Files.writeString(dir.resolve("req.json"), "[1, 2, 3]");
    assertEquals(0, run("--url", server.url("/echo"), "--json-file", file.toString()));
    assertEquals("POST", server.last().method());
    assertEquals("[1, 2, 3]", server.last().body().toString());
  }

  @Test
  void a_non_2xx_answer_is_printed_and_exits_1() {
    assertEquals(1, run("--url", server.url("/fail")));

    assertTrue(out.toString().startsWith("HTTP/1.1 500 Internal Server Error"), out.toString());
  }

  @Test
  void a_refused_connection_is_one_line_on_stderr_and_exits_1(Vertx vertx) {
    int port = vertx.createHttpServer().requestHandler(r -> {}).listen(0, "127.0.0.1")
        .compose(s -> s.close().map(v -> s.actualPort()))
        .toCompletionStage().toCompletableFuture().join();

    assertEquals(1, run("--url", "http://127.0.0.1:" + port + "/x"));

    assertEquals("", out.toString());
    assertTrue(err.toString().startsWith("query: GET http://127.0.0.1:" + port + "/x failed: connection refused"),
        err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
  }

  @Test
  void a_bad_header_is_named_in_the_error_and_exits_2() {
    assertEquals(2, run("--url", server.url("/echo"), "-H", "NoColonHere"));

    assertTrue(err.toString().contains("expected 'Name: value', got 'NoColonHere'"), err.toString());
    assertEquals(0, server.arrivals());
  }

  @Test
  void json_with_form_fields_is_refused() {
    assertEquals(2, run("--url", server.url("/echo"), "--json", "{}", "--form", "a=b"));

    assertEquals("query: a JSON body cannot be combined with --form or --file", err.toString().strip());
  }
}
