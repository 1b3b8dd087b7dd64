package io.modelserve.examples.texttotext;

import io.modelserve.Api;
import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.Model;
import io.modelserve.ModelServe;
import io.modelserve.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * flan-t5-base behind {@code GET /custom?text=...}, answering {@code {"text": ...}}; {@code
 * max_new_tokens} (1 to 512, default 64) bounds the answer. With {@code stream=true} the answer
 * is Server-Sent Events: a {@code token} event per token with the text it adds
 * ({@code {"text": " world"}}), then a {@code done} event with the whole text; a client that
 * leaves stops the generation at the next token.
 *
 * <p>Setting (the worker's {@code --set key=value}, or its JSON config's {@code settings}):
 * {@code model}, the model's folder, by default {@code examples/text-to-text/models/flan-t5-base}
 * (or {@code models/flan-t5-base} when started inside the example's folder), where {@link
 * Download} puts it.
 *
 * <p>{@link #close()} releases the ONNX Runtime sessions and the tokenizer.
 */
@Api(name = "custom")
public class TextToText implements Model {

  /** The setting naming the model's folder. */
  public static final String MODEL = "model";
  public static final int DEFAULT_MAX_NEW_TOKENS = 64;
  public static final int LIMIT_MAX_NEW_TOKENS = 512;

  private static final Logger log = LoggerFactory.getLogger(TextToText.class);

  private T5Generator generator;

  @Override
  public void init(String device, Settings settings) throws Exception {
    Path dir = settings.path(MODEL, null);
    if (dir == null) {
      dir = defaultModelDir();
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException("setting '" + MODEL + "': no folder " + dir.toAbsolutePath()
          + "; run the download step (examples/text-to-text/download.sh), or --set " + MODEL + "=DIR");
    }
    generator = T5Generator.load(dir, device);
    log.info("text-to-text model loaded from {}", dir.toAbsolutePath());
  }

  /** Releases the model; a worker calls it after draining, or after {@code init} failed. */
  @Override
  public void close() throws Exception {
    T5Generator loaded = generator;
    generator = null;
    if (loaded != null) {
      loaded.close();
    }
    log.info("text-to-text closed ({})", loaded != null ? "model released" : "no model was loaded");
  }

  @Override
  public ApiResponse inference(ApiRequest request) throws Exception {
    String text = request.query("text");
    if (text == null) {
      text = request.form("text");
    }
    if (text == null || text.isBlank()) {
      throw ApiException.badRequest("missing query parameter 'text', e.g. /custom?text=translate English to "
          + "German: How old are you?");
    }
    int maxNewTokens = maxNewTokens(request);
    if ("true".equals(request.query("stream"))) {
      return stream(text, maxNewTokens);
    }
    try {
      return ApiResponse.json(Map.of("text", generator.generate(text, maxNewTokens, null)));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private ApiResponse stream(String text, int maxNewTokens) {
    try {
      // a bad input answers 400 before the stream starts
      generator.check(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    return ApiResponse.events(out -> {
      long[] generated = new long[maxNewTokens];
      int[] count = {0};
      String[] sent = {""};
      String whole = generator.generate(text, maxNewTokens, token -> {
        generated[count[0]++] = token;
        String now = generator.decode(java.util.Arrays.copyOf(generated, count[0]));
        // a token may add nothing printable yet (part of a character): wait for the next
        if (now.length() > sent[0].length() && now.startsWith(sent[0])) {
          out.event("token", json(now.substring(sent[0].length())));
          sent[0] = now;
        }
      });
      out.event("done", json(whole));
    });
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private static String json(String text) {
    try {
      return JSON.writeValueAsString(Map.of("text", text));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int maxNewTokens(ApiRequest request) {
    String value = request.query("max_new_tokens");
    if (value == null) {
      return DEFAULT_MAX_NEW_TOKENS;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1 && n <= LIMIT_MAX_NEW_TOKENS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("max_new_tokens must be an integer from 1 to " + LIMIT_MAX_NEW_TOKENS
        + ", not '" + value + "'");
  }

  static Path defaultModelDir() {
    for (Path candidate : List.of(Path.of("examples", "text-to-text", "models", "flan-t5-base"),
        Path.of("models", "flan-t5-base"))) {
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return Path.of("examples", "text-to-text", "models", "flan-t5-base");
  }

  public static void main(String[] args) {
    ModelServe.runServerWithArgs(args);
  }
}
