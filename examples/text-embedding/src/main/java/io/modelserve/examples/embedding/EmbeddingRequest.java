package io.modelserve.examples.embedding;

import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code POST /embeddings} body in OpenAI's shape: {@code input} (a string or a list of
 * strings), {@code model} (any: the answer names the model that ran), {@code encoding_format}
 * ({@code float} or {@code base64}), {@code dimensions} (only {@value MiniLmEncoder#DIMENSIONS}).
 * Other fields ({@code user}, ...) are ignored, as a client may send them.
 */
record EmbeddingRequest(List<String> inputs, boolean base64) {

  /**
   * Reads and checks {@code request}'s body.
   *
   * @throws ApiException 400 naming what is wrong, 405 for another method than POST
   */
  static EmbeddingRequest parse(ApiRequest request, int maxInputs) {
    if (!request.method().equals("POST")) {
      throw new ApiException(405, "use POST with a JSON body such as {\"input\": \"some text\"}, not "
          + request.method());
    }
    if (request.body().length == 0) {
      throw ApiException.badRequest("empty body: send JSON such as {\"input\": \"some text\"}");
    }
    Object json = request.json(Object.class);
    if (!(json instanceof Map<?, ?> body)) {
      throw ApiException.badRequest("the body must be a JSON object such as {\"input\": \"some text\"}, not "
          + kind(json));
    }
    List<String> inputs = inputs(body.get("input"), maxInputs);
    boolean base64 = base64(body.get("encoding_format"));
    checkDimensions(body.get("dimensions"));
    return new EmbeddingRequest(inputs, base64);
  }

  private static List<String> inputs(Object input, int maxInputs) {
    if (input == null) {
      throw ApiException.badRequest("missing 'input': a string or a list of strings");
    }
    if (input instanceof String text) {
      return List.of(checked(text, "'input'"));
    }
    if (!(input instanceof List<?> list)) {
      throw ApiException.badRequest("'input' must be a string or a list of strings, not " + kind(input));
    }
    if (list.isEmpty()) {
      throw ApiException.badRequest("'input' is an empty list: give at least one string");
    }
    if (list.size() > maxInputs) {
      throw ApiException.badRequest("'input' holds " + list.size() + " items; at most " + maxInputs
          + " per request (the service's max-inputs setting)");
    }
    List<String> texts = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (item instanceof Number || item instanceof List<?>) {
        throw ApiException.badRequest("'input[" + i + "]' is a token array or token id: this service "
            + "takes text only, send strings");
      }
      if (!(item instanceof String text)) {
        throw ApiException.badRequest("'input[" + i + "]' must be a string, not " + kind(item));
      }
      texts.add(checked(text, "'input[" + i + "]'"));
    }
    return List.copyOf(texts);
  }

  private static String checked(String text, String what) {
    if (text.isBlank()) {
      throw ApiException.badRequest(what + " is empty or only whitespace: there is nothing to embed");
    }
    return text;
  }

  private static boolean base64(Object format) {
    if (format == null || "float".equals(format)) {
      return false;
    }
    if ("base64".equals(format)) {
      return true;
    }
    throw ApiException.badRequest("'encoding_format' must be \"float\" or \"base64\", not " + show(format));
  }

  private static void checkDimensions(Object dimensions) {
    if (dimensions == null || (dimensions instanceof Integer || dimensions instanceof Long)
        && ((Number) dimensions).longValue() == MiniLmEncoder.DIMENSIONS) {
      return;
    }
    throw ApiException.badRequest("'dimensions' must be " + MiniLmEncoder.DIMENSIONS
        + " (all-MiniLM-L6-v2's only size) or absent, not " + show(dimensions));
  }

  private static String show(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  private static String kind(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Map<?, ?>) {
      return "an object";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    return "a " + value.getClass().getSimpleName();
  }
}
