package io.modelserve.tools.impl;

import java.net.URLConnection;
import java.util.Locale;
import java.util.Map;

/** Guesses an upload's content type from its file name. */
final class ContentTypes {

  // The JDK's table lacks the formats models are most often fed; these come first.
  private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
      Map.entry("json", "application/json"),
      Map.entry("txt", "text/plain"),
      Map.entry("csv", "text/csv"),
      Map.entry("png", "image/png"),
      Map.entry("jpg", "image/jpeg"),
      Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"),
      Map.entry("bmp", "image/bmp"),
      Map.entry("webp", "image/webp"),
      Map.entry("tif", "image/tiff"),
      Map.entry("tiff", "image/tiff"),
      Map.entry("wav", "audio/wav"),
      Map.entry("mp3", "audio/mpeg"),
      Map.entry("flac", "audio/flac"),
      Map.entry("mp4", "video/mp4"),
      Map.entry("pdf", "application/pdf"),
      Map.entry("npy", "application/octet-stream"));

  static final String FALLBACK = "application/octet-stream";

  private ContentTypes() {}

  static String guess(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot >= 0) {
      String known = BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
      if (known != null) {
        return known;
      }
    }
    String jdk = URLConnection.guessContentTypeFromName(fileName);
    return jdk != null ? jdk : FALLBACK;
  }
}
