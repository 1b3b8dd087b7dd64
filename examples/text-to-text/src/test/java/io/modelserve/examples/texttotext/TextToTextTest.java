package io.modelserve.examples.texttotext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.Settings;
import io.modelserve.examples.seq2seq.TinyModels;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole in-process path, tokenizer to JSON answer, on the tiny T5 stand-in. */
class TextToTextTest {

  @TempDir static Path dir;
  private static final TextToText service = new TextToText();

  @BeforeAll
  static void init() throws Exception {
    service.init("cpu", modelAt(TinyModels.writeT5(dir)));
  }

  @AfterAll
  static void close() throws Exception {
    service.close();
  }

  private static Settings modelAt(Path model) {
    return Settings.of(Map.of(TextToText.MODEL, model.toString()));
  }

  private static ApiRequest get(String... params) {
    ApiRequest.Builder request = ApiRequest.builder().method("GET").path("/custom");
    for (int i = 0; i < params.length; i += 2) {
      request.query(params[i], params[i + 1]);
    }
    return request.build();
  }

  @SuppressWarnings("unchecked")
  private static String answer(String... params) throws Exception {
    ApiResponse response = service.inference(get(params));
    assertEquals(200, response.status());
    assertEquals("application/json", response.contentType());
    return (String) new ObjectMapper().readValue(response.body(), Map.class).get("text");
  }

  private static ApiException rejected(String... params) {
    return assertThrows(ApiException.class, () -> service.inference(get(params)));
  }

  @Test
  void translatesUntilTheModelEndsTheSequence() throws Exception {
    assertEquals("Wie alt bist du?", answer("text", "translate English to German: How old are you?"));
  }

  @Test
  void stopsAtMaxNewTokens() throws Exception {
    // the four task words come out as <pad>, which decoding skips
    assertEquals("Wie alt", answer("text", "translate English to German: How old are you?", "max_new_tokens", "6"));
    assertEquals("hallo", answer("text", "hello world", "max_new_tokens", "1"));
  }

  @Test
  void unknownWordsComeBackAsTheTokenizersUnknownToken() throws Exception {
    assertEquals("hallo welt", answer("text", "hello world zebra", "max_new_tokens", "2"));
  }

  @Test
  void theTextMayComeAsAFormField() throws Exception {
    ApiRequest post = ApiRequest.builder().method("POST").path("/custom").form("text", "hello world").build();
    assertTrue(service.inference(post).bodyText().contains("hallo welt"));
  }

  @Test
  void missingTextIsABadRequest() {
    ApiException e = rejected();
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("text"), e.getMessage());
    assertEquals(400, rejected("text", "   ").status());
  }

  @Test
  void aBadMaxNewTokensIsABadRequest() {
    assertEquals(400, rejected("text", "hello", "max_new_tokens", "many").status());
    assertEquals(400, rejected("text", "hello", "max_new_tokens", "0").status());
    assertEquals(400, rejected("text", "hello", "max_new_tokens", "100000").status());
  }

  @Test
  void textLongerThanTheModelAcceptsIsABadRequest() {
    ApiException e = rejected("text", "a ".repeat(T5Generator.MAX_INPUT_TOKENS + 1));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("tokens"), e.getMessage());
  }

  @Test
  void aMissingModelNamesTheSettingAndTheDownloadStep() {
    Path nowhere = dir.resolve("nowhere");
    Exception e = assertThrows(Exception.class, () -> new TextToText().init("cpu", modelAt(nowhere)));
    assertTrue(e.getMessage().contains("setting 'model': no folder " + nowhere), e.getMessage());
    assertTrue(e.getMessage().contains("download"), e.getMessage());
  }

  @Test
  void aFolderWithoutTheModelFilesNamesTheMissingFile() throws Exception {
    Path empty = java.nio.file.Files.createDirectories(dir.resolve("empty"));
    Exception e = assertThrows(Exception.class, () -> new TextToText().init("cpu", modelAt(empty)));
    assertTrue(e.getMessage().contains(empty.resolve("tokenizer.json").toString()), e.getMessage());
  }

  @Test
  void closeAfterAFailedInitAndCloseTwiceAreHarmless() throws Exception {
    TextToText failed = new TextToText();
    assertThrows(Exception.class, () -> failed.init("cpu", modelAt(dir.resolve("nowhere"))));
    failed.close();
    failed.close();
  }

  @Test
  void aGpuDeviceFallsBackToCpuWhenCudaIsMissing() throws Exception {
    TextToText onGpu = new TextToText();
    try {
      onGpu.init("0", modelAt(dir));
      assertEquals(200, onGpu.inference(get("text", "hello")).status());
    } finally {
      onGpu.close();
    }
  }

  /** The events of a streamed answer, written by its writer as the worker would run it. */
  private static java.util.List<String[]> streamed(String... params) throws Exception {
    ApiResponse response = service.inference(get(params));
    assertTrue(response.isStream());
    assertTrue(response.contentType().startsWith("text/event-stream"));
    java.util.List<String[]> events = new java.util.ArrayList<>();
    response.streamWriter().write(new io.modelserve.ResponseStream() {
      @Override
      public void write(byte[] bytes) {
        throw new AssertionError("only events");
      }

      @Override
      public void event(String name, String data) {
        events.add(new String[] {name, data});
      }

      @Override
      public boolean cancelled() {
        return false;
      }
    });
    return events;
  }

  @SuppressWarnings("unchecked")
  private static String text(String json) throws Exception {
    return (String) new ObjectMapper().readValue(json, Map.class).get("text");
  }

  @Test
  void withStreamTrueEachTokenComesAsAnEventThenTheWholeText() throws Exception {
    java.util.List<String[]> events = streamed("text", "translate English to German: How old are you?", "stream", "true");
    String[] done = events.get(events.size() - 1);
    assertEquals("done", done[0]);
    assertEquals("Wie alt bist du?", text(done[1]));
    StringBuilder joined = new StringBuilder();
    for (String[] e : events.subList(0, events.size() - 1)) {
      assertEquals("token", e[0]);
      joined.append(text(e[1]));
    }
    assertEquals("Wie alt bist du?", joined.toString());
    assertTrue(events.size() > 3, "several token events");
  }

  @Test
  void aStreamedRequestChecksItsInputBeforeTheStream() {
    assertEquals(400, rejected("stream", "true").status());
    assertEquals(400, rejected("text", "a ".repeat(T5Generator.MAX_INPUT_TOKENS + 1), "stream", "true").status());
  }

  @Test
  void aClientThatLeavesStopsTheGenerationAtTheNextToken() throws Exception {
    ApiResponse response = service.inference(get("text", "translate English to German: How old are you?", "stream", "true"));
    int[] written = {0};
    assertThrows(io.modelserve.StreamClosedException.class, () -> response.streamWriter().write(new io.modelserve.ResponseStream() {
      @Override
      public void write(byte[] bytes) {
        if (++written[0] > 1) {
          throw new io.modelserve.StreamClosedException("the client has gone");
        }
      }

      @Override
      public boolean cancelled() {
        return written[0] > 1;
      }
    }));
    assertEquals(2, written[0], "no token after the refused one");
  }
}
