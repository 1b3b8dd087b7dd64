package io.modelserve.impl.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WebAssetsTest {

  @Test
  void thePageAndItsAssetsAreServed() {
    for (String p : new String[] {"/", "/index.html", "/app.js", "/css/site.css", "/img/Logo.PNG", "/fonts/a.woff2"}) {
      assertTrue(WebAssets.servable(p), p);
    }
  }

  @Test
  void buildOutputSourcesDotFilesAndOtherFilesAreNot() {
    for (String p : new String[] {"/target/classpath.txt", "/target/site/index.html", "/src/main/resources/app.js",
        "/.git/config", "/.env", "/img/.hidden.png", "/logs/worker-1.log", "/node_modules/x/index.js",
        "/pom.xml", "/cluster.xml", "/notes.txt", "/Main.java", "/app.js.map", "//x.js", "/index"}) {
      assertFalse(WebAssets.servable(p), p);
    }
  }
}
