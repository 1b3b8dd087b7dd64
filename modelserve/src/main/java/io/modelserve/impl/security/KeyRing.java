package io.modelserve.impl.security;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys in force, from a key file (re-read when it changes, checked every second, and on
 * SIGHUP) or else from an environment variable (fixed). A file that becomes unreadable or
 * invalid keeps the keys in force, with a warning: a botched edit never opens the service or
 * locks everyone out. Reads are lock-free; a reload swaps the whole set at once, so requests in
 * flight never see half a file.
 */
public final class KeyRing implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KeyRing.class);
  /** Local event-bus address on which the command line's SIGHUP handler asks for a re-read. */
  public static final String RELOAD = "modelserve.local.reload-keys";

  private final String what;
  private final Path file;
  private volatile ApiKeys keys;
  private volatile byte[] lastContent;
  private long timer = -1;
  private Vertx vertx;
  private MessageConsumer<Object> onSignal;

  private KeyRing(String what, Path file, ApiKeys keys, byte[] content) {
    this.what = what;
    this.file = file;
    this.keys = keys;
    this.lastContent = content;
  }

  /**
   * The keys of {@code file}, else of the environment variable {@code env}, else none.
   *
   * @param what "API keys", "admin keys": for logs
   * @throws IllegalArgumentException when the file cannot be read or a key is invalid
   */
  public static KeyRing load(String what, String file, String env) {
    if (file != null) {
      Path path = Path.of(file);
      byte[] content;
      try {
        content = Files.readAllBytes(path);
      } catch (IOException e) {
        throw new IllegalArgumentException(what + ": cannot read " + path + ": " + e.getMessage());
      }
      ApiKeys keys = ApiKeys.parse(new String(content, java.nio.charset.StandardCharsets.UTF_8), path.toString());
      if (!keys.required()) {
        throw new IllegalArgumentException(what + ": " + path + " holds no key");
      }
      log.info("{}: {} key(s) from {} ({})", what, keys.size(), path, String.join(", ", keys.labels()));
      return new KeyRing(what, path, keys, content);
    }
    String value = env == null ? null : System.getenv(env);
    if (value != null && !value.isBlank()) {
      ApiKeys keys = ApiKeys.parse(value, "$" + env);
      log.info("{}: {} key(s) from ${}", what, keys.size(), env);
      return new KeyRing(what, null, keys, null);
    }
    return new KeyRing(what, null, ApiKeys.none(), null);
  }

  /** Starts watching the file (every second, and on {@link #RELOAD}); nothing to watch without one. */
  public KeyRing watch(Vertx vertx) {
    if (file == null || this.vertx != null) {
      return this;
    }
    this.vertx = vertx;
    // a read of a few lines: cheap enough for an event loop once a second
    timer = vertx.setPeriodic(1_000, t -> reload(false));
    onSignal = vertx.eventBus().localConsumer(RELOAD, m -> reload(true));
    return this;
  }

  public ApiKeys current() {
    return keys;
  }

  /** Re-reads the file; {@code always}: even when its bytes have not changed (SIGHUP). */
  void reload(boolean always) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      if (lastContent != null) {
        log.warn("{}: cannot read {} ({}); the {} key(s) in force stay", what, file, e.toString(), keys.size());
        lastContent = null;
      }
      return;
    }
    if (!always && Arrays.equals(content, lastContent)) {
      return;
    }
    lastContent = content;
    try {
      ApiKeys next = ApiKeys.parse(new String(content, java.nio.charset.StandardCharsets.UTF_8), file.toString());
      if (!next.required()) {
        log.warn("{}: {} holds no key now; the {} key(s) in force stay", what, file, keys.size());
        return;
      }
      keys = next;
      log.info("{}: {} key(s) from {} ({})", what, next.size(), file, String.join(", ", next.labels()));
    } catch (IllegalArgumentException e) {
      log.warn("{}: {}; the {} key(s) in force stay", what, e.getMessage(), keys.size());
    }
  }

  @Override
  public void close() {
    if (vertx != null) {
      vertx.cancelTimer(timer);
      onSignal.unregister();
    }
  }
}
