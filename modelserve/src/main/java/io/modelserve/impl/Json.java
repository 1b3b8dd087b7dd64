package io.modelserve.impl;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The one Jackson mapper: thread-safe once configured, and costly to build. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}
}
