package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.HeadlessChromium;
import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * {@code --cors-origin}: a page served by another origin calls the API in real Chromium; an
 * origin not listed is refused by the browser, and the controller's own page keeps working.
 */
class CorsPageTest {

  static HeadlessChromium chromium;
  static LocalCluster cluster;
  static Vertx vertx;
  static HttpServer otherSite;
  static HttpServer unlistedSite;

  /** A page that POSTs JSON (which needs a preflight) to the controller and shows what came back. */
  static String page(int controllerPort) {
    return "<!doctype html><html><body><pre id='out'>waiting</pre><script>"
        + "fetch('http://127.0.0.1:" + controllerPort + "/echo', {method: 'POST', headers: {'Content-Type': "
        + "'application/json'}, body: JSON.stringify({hello: 'from another origin'})})"
        + ".then(r => r.text().then(t => document.getElementById('out').textContent = 'status ' + r.status + ' '"
        + " + (r.headers.get('X-Model-Serve-Worker') ? 'worker-header ' : '') + t))"
        + ".catch(e => document.getElementById('out').textContent = 'blocked: ' + e);"
        + "</script></body></html>";
  }

  @BeforeAll
  static void start() throws Exception {
    chromium = HeadlessChromium.start();
    vertx = Vertx.vertx();
    int sitePort = LocalCluster.freePort();
    cluster = LocalCluster.builder(Main.class.getName())
        .controllerArgs("--cors-origin", "http://127.0.0.1:" + sitePort).start();
    cluster.startWorker("echo");
    String html = page(cluster.controllerPort());
    otherSite = serve(html, "127.0.0.1", sitePort);
    // the same page on another port: another origin, not listed
    unlistedSite = serve(html, "127.0.0.1", 0);
  }

  static HttpServer serve(String html, String host, int port) throws Exception {
    return vertx.createHttpServer().requestHandler(req -> req.response()
        .putHeader("content-type", "text/html; charset=utf-8").end(html))
        .listen(port, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  static String shownAt(String url) {
    WebDriver browser = chromium.driver();
    browser.get(url);
    Poll.until(Duration.ofSeconds(30), "the page has an outcome",
        () -> !browser.findElement(By.id("out")).getText().equals("waiting"));
    return browser.findElement(By.id("out")).getText();
  }

  @Test
  void aListedOriginCallsTheApiAfterAPreflightAndReadsTheExposedHeaders() {
    String shown = shownAt("http://127.0.0.1:" + otherSite.actualPort() + "/");
    assertTrue(shown.startsWith("status 200 worker-header "), shown);
    assertTrue(shown.contains("from another origin"), shown);
  }

  @Test
  void anOriginNotListedIsRefusedByTheBrowser() {
    String shown = shownAt("http://127.0.0.1:" + unlistedSite.actualPort() + "/");
    assertTrue(shown.startsWith("blocked"), shown);
  }

  @Test
  void thePreflightIsAnsweredByTheControllerAndAnUnlistedOriginGetsAJson403() {
    var preflight = cluster.send(HttpRequest.newBuilder(cluster.uri("/echo"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "http://127.0.0.1:" + otherSite.actualPort())
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type").build());
    assertEquals(204, preflight.statusCode());
    assertEquals("http://127.0.0.1:" + otherSite.actualPort(),
        preflight.headers().firstValue("access-control-allow-origin").orElse(""));
    var refused = cluster.send(HttpRequest.newBuilder(cluster.uri("/echo"))
        .header("Origin", "http://evil.example").build());
    assertEquals(403, refused.statusCode(), refused.body());
    assertTrue(Http.json(refused).getString("error").contains("CORS"), refused.body());
  }

  @Test
  void theControllersOwnPageStillWorks() {
    var own = cluster.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.controllerPort() + "/echo"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json")
        .header("Origin", "http://127.0.0.1:" + cluster.controllerPort()).build());
    assertEquals(200, own.statusCode(), own.body());
  }
}
