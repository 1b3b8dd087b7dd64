package io.modelserve.tools.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.util.Locale;

/** Renders a response body for a terminal: JSON indented, text as is, binary summarised. */
public final class BodyFormat {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BodyFormat() {}

  public static String format(String contentType, Buffer body) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (body.length() == 0) {
      return "";
    }
    if (type.contains("json")) {
      return pretty(body.toString("UTF-8"));
    }
    if (type.isEmpty() || type.startsWith("text/") || type.contains("xml")
        || type.contains("javascript") || type.contains("x-www-form-urlencoded")) {
      return body.toString("UTF-8");
    }
    // Raw image or audio bytes would garble the terminal; the size and type say what came.
    return "[" + body.length() + " bytes of " + contentType + "]";
  }

  /** Indents JSON; text that only claims to be JSON is shown unchanged. */
  static String pretty(String text) {
    try {
      JsonNode tree = JSON.readTree(text);
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      return text;
    }
  }
}
