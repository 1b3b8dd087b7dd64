package io.modelserve.impl.http;

import java.util.Locale;
import java.util.Set;

/**
 * Which paths of the webroot the controller serves: the page and its assets, nothing else. The
 * webroot is often a module folder (the default is the working directory), where build output,
 * sources, logs and dot-files lie next to {@code index.html}.
 */
public final class WebAssets {

  private static final Set<String> EXTENSIONS = Set.of("html", "htm", "js", "mjs", "css", "png", "jpg", "jpeg",
      "gif", "svg", "webp", "ico", "woff", "woff2", "ttf", "wasm");
  /** Folders that hold what a build or a run leaves, or the sources, never the page. */
  private static final Set<String> PRIVATE_FOLDERS = Set.of("target", "build", "src", "logs", "node_modules");

  private WebAssets() {}

  /** Whether {@code path} (decoded, as routed) may be served from the webroot. */
  public static boolean servable(String path) {
    if (path.equals("/")) {
      return true;
    }
    if (!path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
      return false;
    }
    String[] segments = path.substring(1).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      if (s.isEmpty() || s.startsWith(".") || (i < segments.length - 1 && PRIVATE_FOLDERS.contains(s))) {
        return false;
      }
    }
    String last = segments[segments.length - 1];
    int dot = last.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(last.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
