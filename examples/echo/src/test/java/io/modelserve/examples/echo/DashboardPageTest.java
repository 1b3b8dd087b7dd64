package io.modelserve.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.testing.HeadlessChromium;
import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/**
 * The controller's dashboard at {@code /_/} in headless Chromium, on a cluster with an admin key:
 * under load its charts move, and a killed worker leaves its table.
 */
class DashboardPageTest {

  private static final String ADMIN = "dashboard-admin-key-71c4a0e9";

  @Test
  void underLoadTheChartsMoveAndAKilledWorkerLeavesTheTable() throws Exception {
    Path dir = Files.createTempDirectory("dashboard");
    Path admin = ApiKeysTest.write(dir.resolve("admin-keys"), ADMIN + " ops\n");
    try (HeadlessChromium chromium = HeadlessChromium.start();
        LocalCluster c = LocalCluster.builder(Main.class.getName()).adminKey(ADMIN)
            .controllerArgs("--admin-key-file", admin.toString()).start()) {
      LocalCluster.Node w1 = c.startWorker("sim", "cpu:20");
      LocalCluster.Node w2 = c.startWorker("sim", "cpu:20");
      c.awaitLiveWorkers("sim", 2);
      String id1 = c.workerStatus(w1).getString("id");
      String id2 = c.workerStatus(w2).getString("id");
      WebDriver browser = chromium.driver();
      browser.get(c.uri("/_/").toString());

      // no key yet: the page asks for one, and shows nothing of the cluster
      Poll.until(Duration.ofSeconds(20), "the page asks for the admin key",
          () -> browser.findElement(By.id("key")).isDisplayed());
      assertTrue(browser.findElements(By.cssSelector("section.service")).isEmpty());
      browser.findElement(By.id("key-input")).sendKeys(ADMIN);
      browser.findElement(By.cssSelector("#key button")).click();
      Poll.until(Duration.ofSeconds(20), "both workers in the table", () -> rows(browser).containsAll(List.of(id1, id2)));

      try (Load load = Load.start(c, "/sim", Integer.MAX_VALUE, 6)) {
        Poll.until(Duration.ofSeconds(30), "the answers-per-second chart shows the load",
            () -> last(browser, "rps", "rps") > 10);
        String before = points(browser, "rps", "rps");
        Poll.until(Duration.ofSeconds(30), "the chart moves", () -> !points(browser, "rps", "rps").equals(before));
        Poll.until(Duration.ofSeconds(30), "the latency chart has a p99",
            () -> last(browser, "latency", "p99Ms") >= 20);
        String served = cell(browser, id1, 5);
        Poll.until(Duration.ofSeconds(30), "the served count goes up", () -> !cell(browser, id1, 5).equals(served));
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target/dashboard.png"), StandardCopyOption.REPLACE_EXISTING);

        w2.kill();
        Poll.until(Duration.ofSeconds(30), "the killed worker leaves the table", () -> !rows(browser).contains(id2));
        assertEquals(List.of(id1), rows(browser));
        assertNotEquals("", cell(browser, id1, 3));
        load.stop();
        load.await(Duration.ofSeconds(60));
      }
    }
  }

  // read through JavaScript in one go: the page redraws every second, so elements found earlier go stale

  @SuppressWarnings("unchecked")
  private static List<String> rows(WebDriver browser) {
    return (List<String>) js(browser, "return [...document.querySelectorAll(\"section[data-service='sim'] tr[data-worker]\")]"
        + ".map(r => r.dataset.worker).sort()");
  }

  private static double last(WebDriver browser, String chart, String line) {
    Object v = js(browser, "const e = document.querySelector(\"" + line(chart, line) + "\"); return e ? e.getAttribute('data-last') : ''");
    return v == null || v.toString().isEmpty() ? -1 : Double.parseDouble(v.toString());
  }

  private static String points(WebDriver browser, String chart, String line) {
    return String.valueOf(js(browser, "const e = document.querySelector(\"" + line(chart, line) + "\"); return e ? e.getAttribute('points') : ''"));
  }

  private static String line(String chart, String line) {
    return "svg[data-chart='" + chart + "'][data-service='sim'] polyline[data-line='" + line + "']";
  }

  private static String cell(WebDriver browser, String worker, int column) {
    return String.valueOf(js(browser, "const r = document.querySelector(\"tr[data-worker='" + worker + "']\");"
        + " return r ? r.children[" + column + "].textContent : ''"));
  }

  private static Object js(WebDriver browser, String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }
}
