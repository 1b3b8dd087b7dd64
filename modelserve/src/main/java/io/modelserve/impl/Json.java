package io.modelserve.impl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one Jackson mapper: thread-safe once configured, and costly to build. */
public final class Json {

  /**
   * Strings and names as long as the body: the body limit ({@code --max-body-bytes}) bounds
   * them already, and Jackson's own 20 M character cap would refuse bodies under it. Nesting
   * depth and number length keep Jackson's defaults (they guard the stack and the CPU), and
   * exceeding them answers 400 with Jackson's message.
   */
  public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxStringLength(Integer.MAX_VALUE)
          .maxNameLength(Integer.MAX_VALUE)
          .build())
      .build());

  private Json() {}
}
