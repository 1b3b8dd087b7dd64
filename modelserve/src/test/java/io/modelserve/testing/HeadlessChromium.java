package io.modelserve.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver, for the tests that load an
 * example's page from a {@link LocalCluster}. Selenium is told where both are, so it never
 * downloads a browser; when they are missing, {@link #start()} fails saying what to install.
 * {@link #close()} quits the browser and deletes its profile.
 */
public final class HeadlessChromium implements AutoCloseable {

  public static final Path BINARY = Path.of("/usr/bin/chromium");
  public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private final Path profile;
  private final WebDriver driver;

  private HeadlessChromium(Path profile, WebDriver driver) {
    this.profile = profile;
    this.driver = driver;
  }

  /** Starts a browser with a fresh profile; fails the test when Chromium is not installed. */
  public static HeadlessChromium start() throws IOException {
    if (!Files.isExecutable(BINARY) || !Files.isExecutable(DRIVER)) {
      throw new AssertionError("headless Chromium is needed: apt-get install chromium chromium-driver");
    }
    Path profile = Files.createTempDirectory("chromium-profile");
    ChromeOptions options = new ChromeOptions().setBinary(BINARY.toFile()).addArguments(
        // no display and no GPU on the test machines; in a container Chromium runs as root, where
        // its sandbox cannot start, and /dev/shm is too small for its shared memory
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        // one fixed size, so that a page lays out the same on every machine
        "--window-size=1200,800",
        // a profile of its own, so that no state is shared with another run or a user's browser
        "--user-data-dir=" + profile,
        // tests talk to loopback only: none of the browser's own calls out (first-run pages,
        // component and default-app updates, sync, error reports, background services) ...
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-default-apps", "--disable-sync", "--disable-domain-reliability",
        // ... and no name resolves, so whatever is left cannot leave the machine either
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    try {
      return new HeadlessChromium(profile, new ChromeDriver(service, options));
    } catch (RuntimeException e) {
      delete(profile);
      throw e;
    }
  }

  /** The browser, to load pages from the cluster's {@code 127.0.0.1} address. */
  public WebDriver driver() {
    return driver;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      delete(profile);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a profile left in the temporary folder harms no later test: each gets a fresh one
    }
  }
}
