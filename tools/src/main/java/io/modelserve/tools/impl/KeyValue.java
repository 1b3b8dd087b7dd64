package io.modelserve.tools.impl;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A {@code key=value} or {@code Name: value} pair from the command line. */
public record KeyValue(String key, String value) {

  /**
   * Splits at the first {@code =}; the value may be empty, the key may not.
   *
   * @throws IllegalArgumentException naming the expected form and what was given
   */
  public static KeyValue parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("expected KEY=VALUE, got '" + text + "'");
    }
    return new KeyValue(text.substring(0, eq), text.substring(eq + 1));
  }

  /** Splits a header at the first colon and trims the value, as curl's {@code -H} does. */
  public static KeyValue parseHeader(String text) {
    int colon = text.indexOf(':');
    String name = colon < 0 ? "" : text.substring(0, colon).trim();
    if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
      throw new IllegalArgumentException("expected 'Name: value', got '" + text + "'");
    }
    return new KeyValue(name, text.substring(colon + 1).trim());
  }

  /** Picocli's hook for {@code --query}, {@code --form} and {@code --file}. */
  public static final class Converter implements ITypeConverter<KeyValue> {
    @Override
    public KeyValue convert(String text) {
      try {
        return parse(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Picocli's hook for {@code -H}. */
  public static final class HeaderConverter implements ITypeConverter<KeyValue> {
    @Override
    public KeyValue convert(String text) {
      try {
        return parseHeader(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
