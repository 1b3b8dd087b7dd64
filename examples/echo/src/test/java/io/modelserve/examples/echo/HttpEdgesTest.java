package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What arrives at the HTTP edge malformed, refused or unusual gets a JSON answer, at once. */
class HttpEdgesTest {

  static LocalCluster cluster;
  static LocalCluster.Node echo;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder(Main.class.getName())
        .controllerArgs("--max-body-bytes", "1048576", "--max-queue", "1", "--startup-grace-ms", "0").start();
    echo = cluster.startWorker("echo");
    // one inference at a time, 3 s each: a few requests fill it and its queue
    cluster.startWorker("sim", "cpu:3000");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static RawHttp connect() {
    return new RawHttp(cluster.controllerPort());
  }

  @Test
  void expectContinueGetsContinueBeforeTheBodyThenTheAnswer() {
    try (RawHttp c = connect()) {
      c.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
          + "Expect: 100-continue\r\n\r\n");
      // without the 100 the client would wait (curl: 1 s) before sending the body anyway
      assertEquals(100, c.read().status());
      RawHttp.Response r = c.send("hello").read();
      assertEquals(200, r.status(), r.body());
      assertEquals("hello", r.json().getString("body"));
    }
  }

  @Test
  void anUnknownServiceIsRefusedBeforeTheBody() {
    try (RawHttp c = connect()) {
      RawHttp.Response r = c.send("POST /nosuch HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n"
          + "Expect: 100-continue\r\n\r\n").read();
      assertEquals(404, r.status(), r.body());
      assertEquals("nosuch", r.json().getString("service"));
      assertTrue(r.json().getJsonArray("services").contains("echo"), r.body());
      assertEquals("close", r.headers().get("connection"));
      assertTrue(c.closedByServer(20_000), "the unread body is not taken for a request");
    }
  }

  @Test
  void aBodyOverTheLimitIsRefusedFromItsContentLength() {
    try (RawHttp c = connect()) {
      RawHttp.Response r = c.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2000000\r\n\r\n").read();
      assertEquals(413, r.status(), r.body());
      assertTrue(r.json().getString("error").contains("--max-body-bytes"), r.body());
      assertEquals("echo", r.json().getString("service"));
    }
  }

  @Test
  void overCapacityIsRefusedBeforeTheBodyWithRetryAfter() {
    var filling = FullQueue.fill(cluster);
    FullQueue.assertRefusedBeforeTheBody(cluster);
    filling.forEach(f -> assertEquals(200, f.join().statusCode()));
  }

  @Test
  void aMalformedEscapeIs400JsonWithoutAStackTrace() {
    try (RawHttp c = connect()) {
      RawHttp.Response r = c.send("GET /%zz HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
      assertEquals(400, r.status(), r.body());
      assertTrue(r.json().getString("error").contains("malformed path"), r.body());
      // the connection still serves
      assertEquals(200, c.send("GET /echo HTTP/1.1\r\nHost: localhost\r\n\r\n").read().status());
    }
    assertFalse(cluster.controller().logText().contains("\tat "), "a stack trace in " + cluster.controller().log());
  }

  @Test
  void anAbsoluteFormTargetReachesTheModelAsItsPath() {
    try (RawHttp c = connect()) {
      RawHttp.Response r = c.send("GET http://localhost:" + cluster.controllerPort() + "/echo/sub?a=1 HTTP/1.1\r\n"
          + "Host: localhost\r\n\r\n").read();
      assertEquals(200, r.status(), r.body());
      assertEquals("/echo/sub", r.json().getString("path"));
      assertEquals("1", r.json().getJsonObject("query").getJsonArray("a").getString(0));
    }
  }

  @Test
  void http11WithoutHostIs400Json() {
    try (RawHttp c = connect()) {
      RawHttp.Response r = c.send("GET /echo HTTP/1.1\r\n\r\n").read();
      assertEquals(400, r.status(), r.body());
      assertTrue(r.json().getString("error").contains("Host"), r.body());
    }
    try (RawHttp c = connect()) {
      RawHttp.Response r = c.send("NOT HTTP AT ALL\r\n\r\n").read();
      assertEquals(400, r.status(), r.body());
      assertTrue(r.json().containsKey("error"), r.body());
    }
  }

  @Test
  void aMalformedChunkIs400JsonThroughTheControllerAndDirectlyThenTheConnectionCloses() {
    for (int port : new int[] {cluster.controllerPort(), echo.httpPort()}) {
      // "ZZ" is no chunk size: Netty fails the body, and Vert.x closes the connection after it
      RawHttp.Response r = RawHttp.refusedThenClosed(port, "POST /echo HTTP/1.1\r\nHost: localhost\r\n"
          + "Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n", 400, "could not read the whole request", 10_000);
      assertEquals("close", r.headers().get("connection"), r.headers().toString());
    }
  }

  @Test
  void aTransferEncodingThatDoesNotEndInChunkedIs400AndTheConnectionCloses() {
    for (int port : new int[] {cluster.controllerPort(), echo.httpPort()}) {
      for (String coding : new String[] {"gzip", "chunked, gzip"}) {
        // its length cannot be known (RFC 9112, 6.3): read as no body, the bytes would be taken
        // for the next request on the connection
        RawHttp.refusedThenClosed(port, "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
            + "Transfer-Encoding: " + coding + "\r\n\r\nGET /echo?smuggled=1 HTTP/1.1\r\nHost: localhost\r\n\r\n",
            400, "'" + coding + "' does not end in chunked", 10_000);
      }
    }
  }

  @Test
  void aGzipOrDeflateBodyReachesTheModelDecodedAnOtherEncodingIs415AndACorruptOne400() throws Exception {
    byte[] json = "{\"text\":\"compressed\"}".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream gzip = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
      out.write(json);
    }
    ByteArrayOutputStream deflate = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(deflate)) {
      out.write(json);
    }
    for (int port : new int[] {cluster.controllerPort(), echo.httpPort()}) {
      for (Map.Entry<String, byte[]> e : Map.of("gzip", gzip.toByteArray(), "deflate", deflate.toByteArray()).entrySet()) {
        try (RawHttp c = new RawHttp(port)) {
          RawHttp.Response r = c.send(post("application/json", e.getKey(), e.getValue())).read();
          assertEquals(200, r.status(), e.getKey() + " on port " + port + ": " + r.body());
          assertEquals("compressed", r.json().getJsonObject("json").getString("text"), r.body());
          // nor does the model see an encoding that no longer applies
          assertTrue(r.json().containsKey("header"), r.body());
          assertEquals(null, r.json().getValue("header"), r.body());
        }
      }
      try (RawHttp c = new RawHttp(port)) {
        RawHttp.Response r = c.send(post("text/plain", "br", "hello".getBytes(StandardCharsets.UTF_8))).read();
        assertEquals(415, r.status(), r.body());
        assertTrue(r.json().getString("error").contains("br"), r.body());
      }
      if (port == cluster.controllerPort()) {
        // the body limit (1 MiB here) holds for what the body decodes to: 2 MiB of zeros in 2 KiB
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bomb)) {
          out.write(new byte[2 << 20]);
        }
        try (RawHttp c = new RawHttp(port)) {
          RawHttp.Response r = c.send(post("text/plain", "gzip", bomb.toByteArray())).read();
          assertEquals(413, r.status(), r.body());
        }
      }
      try (RawHttp c = new RawHttp(port)) {
        byte[] corrupt = Arrays.copyOf(gzip.toByteArray(), gzip.size());
        corrupt[12] ^= 0x55;
        corrupt[13] ^= 0x55;
        RawHttp.Response r = c.send(post("application/json", "gzip", corrupt)).read();
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().containsKey("error"), r.body());
      }
    }
  }

  private static String post(String type, String encoding, byte[] body) {
    return "POST /echo?header=content-encoding HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + type + "\r\nContent-Encoding: " + encoding
        + "\r\nContent-Length: " + body.length + "\r\n\r\n" + new String(body, StandardCharsets.ISO_8859_1);
  }

  @Test
  void aModelStatusThatIsNotFinalAnswers500AtOnceThroughTheControllerAndDirectly() {
    for (String status : new String[] {"101", "700"}) {
      HttpResponse<String> r = cluster.get("/echo?status=" + status);
      assertEquals(500, r.statusCode(), r.body());
      assertTrue(Http.json(r).getString("error").contains(status), r.body());
      try (RawHttp c = new RawHttp(echo.httpPort())) {
        RawHttp.Response direct = c.send("GET /echo?status=" + status + " HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
        assertEquals(500, direct.status(), direct.body());
      }
    }
  }

  @Test
  void theWebrootServesThePageButNotBuildOutput() {
    // the webroot is the module folder here, as with the default working directory
    HttpResponse<String> page = cluster.get("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<html"), page.body());
    HttpResponse<String> classpath = cluster.get("/target/classpath.txt");
    assertEquals(404, classpath.statusCode(), classpath.body());
    assertFalse(classpath.body().contains(".jar"), classpath.body());
    assertEquals(404, cluster.get("/pom.xml").statusCode());
  }

  @Test
  void noEventLoopIsReportedBlockedWhileTheNodesStartAndServe() {
    // the warning came at a worker's first heartbeat, 2.1 to 2.5 s on a loaded machine
    assertEquals(200, cluster.get("/echo?warm=1").statusCode());
    for (LocalCluster.Node node : List.of(cluster.controller(), echo)) {
      assertFalse(node.logText().contains("BlockedThreadChecker"), "a blocked event loop in " + node.log());
    }
  }
}
