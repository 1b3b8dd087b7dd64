package io.modelserve.impl.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of API keys, held as SHA-256 digests: a presented key is hashed and compared with
 * each in constant time, so neither its content nor its length leaks through timing, and the
 * keys themselves are never kept, logged or shown. Immutable.
 *
 * <p>Text form, one key a line, an optional label after white space, {@code #} comments:
 * <pre>
 * # team, rotated 2026-12
 * 3f9c0a6d1e...   search-backend
 * 7b1d44e02c...
 * </pre>
 */
public final class ApiKeys {

  /** The shortest key accepted: shorter ones are guessable. */
  public static final int MIN_LENGTH = 16;

  private static final ApiKeys NONE = new ApiKeys(List.of(), List.of());

  private final List<byte[]> digests;
  private final List<String> labels;

  private ApiKeys(List<byte[]> digests, List<String> labels) {
    this.digests = List.copyOf(digests);
    this.labels = List.copyOf(labels);
  }

  /** No keys: nothing is required. */
  public static ApiKeys none() {
    return NONE;
  }

  /**
   * Parses the text form.
   *
   * @param source named in errors (a file path, an environment variable)
   * @throws IllegalArgumentException naming the line (never the key) of a key that is too short
   *     or has characters outside visible ASCII (a leading UTF-8 byte-order mark is skipped)
   */
  public static ApiKeys parse(String text, String source) {
    List<byte[]> digests = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    // an editor's UTF-8 byte-order mark (Windows Notepad) is no part of the first key
    String[] lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).split("\r?\n|,", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+", 2);
      String key = parts[0];
      if (!key.chars().allMatch(c -> c > 32 && c < 127)) {
        throw new IllegalArgumentException(source + ", entry " + (i + 1) + ": a key may hold only visible ASCII"
            + " characters; this one has another at position " + (firstNotVisible(key) + 1));
      }
      if (key.length() < MIN_LENGTH) {
        throw new IllegalArgumentException(source + ", entry " + (i + 1) + ": a key must be at least " + MIN_LENGTH
            + " visible ASCII characters");
      }
      digests.add(digest(key));
      labels.add(parts.length > 1 ? parts[1].strip() : "key " + (labels.size() + 1));
    }
    return new ApiKeys(digests, labels);
  }

  private static int firstNotVisible(String key) {
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) <= 32 || key.charAt(i) >= 127) {
        return i;
      }
    }
    return -1;
  }

  /** Whether any key is set: then every protected request must present one. */
  public boolean required() {
    return !digests.isEmpty();
  }

  public int size() {
    return digests.size();
  }

  /** The labels, for logs: never the keys. */
  public List<String> labels() {
    return labels;
  }

  /** Whether {@code presented} is one of the keys; every key is compared, whichever matches. */
  public boolean accepts(String presented) {
    if (presented == null) {
      return false;
    }
    byte[] d = digest(presented);
    boolean found = false;
    for (byte[] k : digests) {
      found |= MessageDigest.isEqual(k, d);
    }
    return found;
  }

  /**
   * The key a request presents: {@code Authorization: Bearer <key>}, else {@code X-API-Key},
   * else {@code null}.
   */
  public static String presented(String authorization, String xApiKey) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).strip();
    }
    return xApiKey == null ? null : xApiKey.strip();
  }

  private static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "ApiKeys" + labels;
  }
}
