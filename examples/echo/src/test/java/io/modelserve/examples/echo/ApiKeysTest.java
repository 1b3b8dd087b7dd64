package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code --api-key-file} and {@code --admin-key-file} on a real controller and worker. */
class ApiKeysTest {

  static final String KEY_A = "a-0123456789abcdef-key";
  static final String KEY_B = "b-0123456789abcdef-key";
  static final String KEY_C = "c-0123456789abcdef-key";
  static final String ADMIN = "admin-0123456789abcdef";

  static Path write(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    // replaced whole, as an operator's `mv` does: a reader never sees half a file
    return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static HttpResponse<String> get(LocalCluster c, URI uri, String header, String value) {
    HttpRequest.Builder r = HttpRequest.newBuilder(uri);
    if (header != null) {
      r.header(header, value);
    }
    return c.send(r.build());
  }

  @Test
  void servicesStatusAndTheWorkersOwnPortNeedAKeyHealthAndReadinessDoNot() throws Exception {
    Path dir = Files.createTempDirectory("keys");
    Path keys = write(dir.resolve("keys"), "# two keys\n" + KEY_A + "  search\n" + KEY_B + "\n");
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).adminKey(KEY_A)
        .controllerArgs("--api-key-file", keys.toString()).start()) {
      LocalCluster.Node worker = c.startWorker("echo", "cpu", "--api-key-file", keys.toString());
      HttpResponse<String> none = c.get("/echo");
      assertEquals(401, none.statusCode(), none.body());
      assertTrue(Http.json(none).getString("error").contains("Authorization: Bearer"), none.body());
      assertEquals("Bearer realm=\"modelserve\"", none.headers().firstValue("www-authenticate").orElse(""));
      assertEquals(401, get(c, c.uri("/echo"), "Authorization", "Bearer not-a-key-of-ours-at-all").statusCode());
      assertEquals(200, get(c, c.uri("/echo"), "Authorization", "Bearer " + KEY_A).statusCode());
      assertEquals(200, get(c, c.uri("/echo"), "X-API-Key", KEY_B).statusCode());
      // which services exist is not for strangers either
      HttpResponse<String> unknown = c.get("/nothing");
      assertEquals(401, unknown.statusCode(), unknown.body());
      assertFalse(unknown.body().contains("echo"), unknown.body());
      assertEquals(200, c.get("/_/health").statusCode());
      // open to anyone; 503 until the controller's start-up grace has passed, then 200
      Poll.until(Duration.ofSeconds(30), "/_/ready answers 200 without a key", () -> c.get("/_/ready").statusCode() == 200);
      assertEquals(401, c.get("/_/status").statusCode());
      assertEquals(200, get(c, c.uri("/_/status"), "Authorization", "Bearer " + KEY_B).statusCode());
      URI direct = URI.create("http://127.0.0.1:" + worker.httpPort());
      assertEquals(401, get(c, direct.resolve("/echo"), null, null).statusCode());
      assertEquals(200, get(c, direct.resolve("/echo"), "X-API-Key", KEY_A).statusCode());
      assertEquals(200, get(c, direct.resolve("/_/health"), null, null).statusCode());
      for (LocalCluster.Node node : new LocalCluster.Node[] {c.controller(), worker}) {
        String log = node.logText();
        assertTrue(log.contains("2 key(s)") && log.contains("search"), log);
        assertFalse(log.contains(KEY_A) || log.contains(KEY_B), "a key in the log of " + node);
      }
    }
  }

  @Test
  void anAdminKeyGuardsTheStatusApartFromTheServices() throws Exception {
    Path dir = Files.createTempDirectory("keys");
    Path keys = write(dir.resolve("keys"), KEY_A + "\n");
    Path admin = write(dir.resolve("admin"), ADMIN + " ops\n");
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).adminKey(ADMIN)
        .controllerArgs("--api-key-file", keys.toString(), "--admin-key-file", admin.toString()).start()) {
      c.startWorker("echo");
      assertEquals(401, get(c, c.uri("/_/status"), "Authorization", "Bearer " + KEY_A).statusCode());
      assertEquals(200, get(c, c.uri("/_/status"), "Authorization", "Bearer " + ADMIN).statusCode());
      assertEquals(401, get(c, c.uri("/echo"), "Authorization", "Bearer " + ADMIN).statusCode());
      assertEquals(200, get(c, c.uri("/echo"), "Authorization", "Bearer " + KEY_A).statusCode());
    }
  }

  @Test
  void keysRotatedUnderLoadFailNoRequestOfAKeyThatStays() throws Exception {
    Path dir = Files.createTempDirectory("keys");
    Path keys = write(dir.resolve("keys"), KEY_A + " old\n" + KEY_B + " current\n");
    try (LocalCluster c = LocalCluster.builder(Main.class.getName()).adminKey(KEY_B)
        .controllerArgs("--api-key-file", keys.toString()).start()) {
      c.startWorker("sim", "cpu:5");
      try (Load load = Load.withKey(c, "/sim", 1500, 4, () -> KEY_B)) {
        Poll.until(Duration.ofSeconds(30), "the load runs", () -> load.answered() > 50);
        write(keys, KEY_B + " current\n" + KEY_C + " next\n");
        Poll.until(Duration.ofSeconds(10), "the old key is refused and the new one taken", () ->
            get(c, c.uri("/sim"), "X-API-Key", KEY_A).statusCode() == 401
                && get(c, c.uri("/sim"), "X-API-Key", KEY_C).statusCode() == 200);
        // a broken edit keeps the keys in force
        write(keys, "short\n");
        Poll.until(Duration.ofSeconds(10), "the broken file is noticed",
            () -> c.controller().logText().contains("the 2 key(s) in force stay"));
        assertEquals(200, get(c, c.uri("/sim"), "X-API-Key", KEY_C).statusCode());
        load.await(Duration.ofSeconds(120));
        assertEquals(1500, load.count(200), load.toString());
      }
    }
  }
}
