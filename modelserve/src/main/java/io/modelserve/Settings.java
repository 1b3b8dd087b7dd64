package io.modelserve;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A service's own settings, given to its worker as {@code --set key=value} (repeatable) or as
 * the {@code settings} object of the worker's JSON config, and read by the model in
 * {@link Model#init(String, Settings)}. Keys and values are strings; the typed getters parse
 * them and name the key when a value does not parse. Immutable.
 *
 * <pre>{@code
 * public void init(String device, Settings settings) {
 *   Path models = settings.path("models", Path.of("models"));
 *   int maxTokens = settings.getInt("max-tokens", 64);
 * }
 * }</pre>
 */
public final class Settings {

  private static final Settings EMPTY = new Settings(Map.of());

  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /** Settings holding {@code values}; a null key or value is refused. */
  public static Settings of(Map<String, String> values) {
    values.forEach((k, v) -> {
      Objects.requireNonNull(k, "settings key");
      Objects.requireNonNull(v, () -> "value of setting '" + k + "'");
    });
    return values.isEmpty() ? EMPTY : new Settings(values);
  }

  /** No settings. */
  public static Settings empty() {
    return EMPTY;
  }

  /** The value of {@code key}, or {@code null} when it is not set. */
  public String get(String key) {
    return values.get(key);
  }

  /** The value of {@code key}, or {@code fallback} when it is not set. */
  public String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  /** {@code key} as an int, or {@code fallback} when it is not set. */
  public int getInt(String key, int fallback) {
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting '" + key + "' must be an integer, not '" + v + "'");
    }
  }

  /** {@code key} as a long, or {@code fallback} when it is not set. */
  public long getLong(String key, long fallback) {
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting '" + key + "' must be an integer, not '" + v + "'");
    }
  }

  /** {@code key} as a double, or {@code fallback} when it is not set. */
  public double getDouble(String key, double fallback) {
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting '" + key + "' must be a number, not '" + v + "'");
    }
  }

  /** {@code key} as {@code true}/{@code false} (any case), or {@code fallback} when it is not set. */
  public boolean getBoolean(String key, boolean fallback) {
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("setting '" + key + "' must be true or false, not '" + v + "'");
    };
  }

  /** {@code key} as a file path, or {@code fallback} when it is not set. */
  public java.nio.file.Path path(String key, java.nio.file.Path fallback) {
    String v = values.get(key);
    return v == null ? fallback : java.nio.file.Path.of(v);
  }

  /** Every setting, sorted by key. */
  public Map<String, String> asMap() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Settings s && s.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** The keys only: values may be secrets. */
  @Override
  public String toString() {
    return "Settings" + values.keySet();
  }
}
