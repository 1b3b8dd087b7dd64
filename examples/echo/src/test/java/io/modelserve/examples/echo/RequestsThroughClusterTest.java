package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests of every shape, through a real controller JVM and a real worker JVM. */
class RequestsThroughClusterTest {

  static LocalCluster cluster;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder(Main.class.getName())
        // its 404 checks come right after the start, inside the default grace
        .controllerArgs("--startup-grace-ms", "0").start();
    cluster.startWorker("echo");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void getQueryKeepsRepeatedKeysAndUnicode() {
    JsonObject body = Http.json(cluster.get("/echo?a=1&a=2&name=%E4%BD%A0%E5%A5%BD&empty="));
    assertEquals(new JsonArray().add("1").add("2"), body.getJsonObject("query").getJsonArray("a"));
    assertEquals("你好", body.getJsonObject("query").getJsonArray("name").getString(0));
    assertEquals("", body.getJsonObject("query").getJsonArray("empty").getString(0));
    assertEquals("GET", body.getString("method"));
    assertEquals("/echo", body.getString("path"));
  }

  @Test
  void subPathsReachTheService() {
    assertEquals("/echo/v1/items", Http.json(cluster.get("/echo/v1/items")).getString("path"));
  }

  @Test
  void postFormFieldsArriveAsForm() {
    HttpResponse<String> r = cluster.send(HttpRequest.newBuilder(cluster.uri("/echo"))
        .header("content-type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("text=hello+world&k=1&k=2")).build());
    assertEquals(200, r.statusCode(), r.body());
    JsonObject form = Http.json(r).getJsonObject("form");
    assertEquals("hello world", form.getJsonArray("text").getString(0));
    assertEquals(2, form.getJsonArray("k").size());
  }

  @Test
  void multipartFilesArriveByteForByte() throws Exception {
    byte[] image = new byte[300_000];
    new Random(7).nextBytes(image);
    Http.Multipart m = new Http.Multipart().field("caption", "a cat").file("image", "cat.png", "image/png", image);
    HttpResponse<String> r = cluster.send(HttpRequest.newBuilder(cluster.uri("/echo"))
        .header("content-type", m.contentType()).POST(m.publisher()).build());
    assertEquals(200, r.statusCode(), r.body());
    JsonObject body = Http.json(r);
    JsonObject file = body.getJsonObject("files").getJsonArray("image").getJsonObject(0);
    assertEquals("cat.png", file.getString("fileName"));
    assertEquals("image/png", file.getString("contentType"));
    assertEquals(image.length, file.getInteger("size"));
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image)), file.getString("sha256"));
    assertEquals("a cat", body.getJsonObject("form").getJsonArray("caption").getString(0));
  }

  @Test
  void jsonRoundTrips() {
    String json = "{\"text\":\"translate English to German: How old are you?\",\"n\":[1,2.5,null,true]}";
    HttpResponse<String> r = cluster.send(HttpRequest.newBuilder(cluster.uri("/echo"))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(new JsonObject(json), Http.json(r).getJsonObject("json"));
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
  }

  @Test
  void binaryBodiesComeBackUnchanged() {
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    HttpResponse<byte[]> r = sendBytes(HttpRequest.newBuilder(cluster.uri("/echo?as=bytes"))
        .header("content-type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    assertEquals(200, r.statusCode());
    assertEquals(HexFormat.of().formatHex(bytes), HexFormat.of().formatHex(r.body()));
  }

  @Test
  void indexHtmlIsServedAtRoot() {
    HttpResponse<String> r = cluster.get("/");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("<h1>echo</h1>"), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/html"));
  }

  @Test
  void onlyWebAssetsOfTheWebrootAreServed() {
    assertEquals(200, cluster.get("/index.html").statusCode());
    HttpResponse<String> pom = cluster.get("/pom.xml");
    assertEquals(404, pom.statusCode());
    assertTrue(Http.json(pom).containsKey("services"), pom.body());
    assertEquals(404, cluster.get("/example.properties").statusCode());
  }

  @Test
  void unknownServiceIs404ListingTheServices() {
    HttpResponse<String> r = cluster.get("/nope?x=1");
    assertEquals(404, r.statusCode());
    JsonObject body = Http.json(r);
    assertEquals("nope", body.getString("service"));
    assertTrue(body.getJsonArray("services").contains("echo"), r.body());
    assertTrue(body.getString("error").contains("nope"));
  }

  @Test
  void bodyOverTheLimitIs413AndTheControllerStaysUp() {
    byte[] big = new byte[(int) (io.modelserve.options.ControllerOptions.DEFAULT_MAX_BODY_BYTES + 1)];
    HttpResponse<String> r = cluster.send(HttpRequest.newBuilder(cluster.uri("/echo"))
        .header("content-type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(big)).build());
    assertEquals(413, r.statusCode());
    assertEquals("echo", Http.json(r).getString("service"));
    assertEquals(200, cluster.get("/echo?after=413").statusCode());
  }

  @Test
  void malformedMultipartIs400() {
    String body = "--abc\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.png\"\r\n\r\nno closing boundary";
    HttpResponse<String> r = cluster.send(HttpRequest.newBuilder(cluster.uri("/echo"))
        .header("content-type", "multipart/form-data; boundary=abc")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(Http.json(r).getString("error").contains("multipart"), r.body());
  }

  @Test
  void multipartWithoutBoundaryIs400() {
    HttpResponse<String> r = cluster.send(HttpRequest.newBuilder(cluster.uri("/echo"))
        .header("content-type", "multipart/form-data")
        .POST(HttpRequest.BodyPublishers.ofString("whatever")).build());
    assertEquals(400, r.statusCode(), r.body());
  }

  @Test
  void malformedJsonIs400WithoutReachingTheWorker() {
    HttpResponse<String> r = cluster.send(HttpRequest.newBuilder(cluster.uri("/echo"))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"a\": [1, 2")).build());
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(Http.json(r).getString("error").startsWith("malformed JSON body"), r.body());
  }

  @Test
  void largeMalformedJsonIs400Too() {
    // over the size parsed on the event loop: the check runs on a worker thread, same answer
    String json = "{\"pad\": \"" + "x".repeat(400_000) + "\", \"a\": [1, 2";
    HttpResponse<String> r = cluster.send(HttpRequest.newBuilder(cluster.uri("/echo"))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(Http.json(r).getString("error").startsWith("malformed JSON body"), r.body());
  }

  @Test
  void inferenceThatThrowsIs500WithTheMessageAndTheWorkerKeepsServing() {
    HttpResponse<String> r = cluster.get("/echo?fail=model+exploded");
    assertEquals(500, r.statusCode());
    JsonObject body = Http.json(r);
    assertEquals("model exploded", body.getString("error"));
    assertEquals("echo", body.getString("service"));
    assertFalse(r.body().contains("at io.modelserve"), "no stack trace in " + r.body());
    assertEquals(200, cluster.get("/echo?after=failure").statusCode());
  }

  @Test
  void modelChosenStatusesPassThrough() {
    assertEquals(422, cluster.get("/echo?status=422").statusCode());
    assertEquals(201, cluster.get("/echo?status=201").statusCode());
  }

  @Test
  void statusReportsTheClusterFromTheConfigInForce() {
    JsonObject status = Http.json(cluster.get("/_/status"));
    JsonObject c = status.getJsonObject("cluster");
    // the name exists only in the harness's copy of cluster.xml: that file is in force
    assertEquals(cluster.clusterName(), c.getString("name"));
    assertEquals(cluster.clusterConfig().toString(), c.getString("config"));
    assertEquals(2, c.getInteger("members"));
    JsonObject worker = status.getJsonObject("services").getJsonObject("echo").getJsonArray("workers").getJsonObject(0);
    assertEquals("cpu", worker.getString("device"));
    assertEquals("127.0.0.1", worker.getString("host"));
    assertTrue(worker.containsKey("inFlight") && worker.containsKey("served") && worker.containsKey("failed"));
    assertEquals("ok", Http.json(cluster.get("/_/health")).getString("status"));
  }

  private static HttpResponse<byte[]> sendBytes(HttpRequest request) {
    try {
      return cluster.httpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
