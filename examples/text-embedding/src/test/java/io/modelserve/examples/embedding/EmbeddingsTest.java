package io.modelserve.examples.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The service's {@code inferenceBatch} in-process, with batches of several requests. */
class EmbeddingsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Embeddings service;
  static MiniLmEncoder encoder;

  @BeforeAll
  static void init() throws Exception {
    service = new Embeddings();
    service.init("cpu", Settings.of(Map.of("max-inputs", "3")));
    encoder = MiniLmEncoder.open(Settings.empty());
  }

  @AfterAll
  static void close() {
    if (service != null) {
      service.close();
    }
    if (encoder != null) {
      encoder.close();
    }
  }

  static ApiRequest post(String body) {
    return ApiRequest.builder().method("POST").path("/embeddings")
        .header("Content-Type", "application/json").body(body).build();
  }

  static String json(Object value) throws Exception {
    return JSON.writeValueAsString(value);
  }

  static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).floatValue();
    }
    return out;
  }

  @Test
  void eachRequestOfABatchGetsItsOwnVectorsInOpenAisShape() throws Exception {
    List<String> one = List.of(Vectors.TEXTS.get(3));
    List<String> three = Vectors.TEXTS.subList(0, 3);
    List<String> two = List.of(Vectors.TEXTS.get(4), Vectors.LONG_TEXT);
    List<ApiResponse> answers = service.inferenceBatch(List.of(
        post(json(Map.of("input", one.get(0), "model", "all-minilm-l6-v2"))),
        post(json(Map.of("input", three, "encoding_format", "float"))),
        post(json(Map.of("input", two, "dimensions", 384)))));
    assertEquals(3, answers.size());
    List<List<String>> sent = List.of(one, three, two);
    for (int r = 0; r < sent.size(); r++) {
      ApiResponse answer = answers.get(r);
      assertEquals(200, answer.status(), answer.bodyText());
      assertEquals("application/json", answer.contentType());
      JsonNode body = JSON.readTree(answer.body());
      assertEquals("list", body.get("object").asText());
      assertEquals("all-minilm-l6-v2", body.get("model").asText());
      List<MiniLmEncoder.Embedding> expected = encoder.embed(sent.get(r));
      JsonNode data = body.get("data");
      assertEquals(sent.get(r).size(), data.size(), "request " + r);
      int tokens = 0;
      int truncated = 0;
      for (int i = 0; i < data.size(); i++) {
        assertEquals("embedding", data.get(i).get("object").asText());
        assertEquals(i, data.get(i).get("index").asInt());
        double cos = Vectors.cosine(expected.get(i).vector(), floats(data.get(i).get("embedding")));
        assertTrue(cos > 0.99999, "request " + r + " item " + i + ": cosine " + cos);
        tokens += expected.get(i).tokens();
        truncated += expected.get(i).truncated() ? 1 : 0;
      }
      assertEquals(tokens, body.get("usage").get("prompt_tokens").asInt());
      assertEquals(tokens, body.get("usage").get("total_tokens").asInt());
      assertEquals(truncated, body.get("usage").get("truncated_inputs").asInt());
    }
    assertEquals(1, JSON.readTree(answers.get(2).body()).get("usage").get("truncated_inputs").asInt(),
        "the long text was cut");
  }

  @Test
  void base64IsTheLittleEndianFloat32BytesOfTheVector() throws Exception {
    List<ApiResponse> answers = service.inferenceBatch(List.of(
        post(json(Map.of("input", "A man is eating food.", "encoding_format", "base64"))),
        post(json(Map.of("input", "A man is eating food.")))));
    JsonNode b64 = JSON.readTree(answers.get(0).body()).get("data").get(0).get("embedding");
    assertTrue(b64.isTextual(), b64.toString());
    float[] decoded = Vectors.fromBase64(b64.asText());
    float[] plain = floats(JSON.readTree(answers.get(1).body()).get("data").get(0).get("embedding"));
    assertEquals(MiniLmEncoder.DIMENSIONS, decoded.length);
    for (int i = 0; i < plain.length; i++) {
      assertEquals(plain[i], decoded[i], 1e-6f, "component " + i);
    }
  }

  @Test
  void badRequestsAreAnswered400EachWhileTheGoodOnesOfTheBatchAreServed() throws Exception {
    List<String> bad = new ArrayList<>(List.of(
        "{\"input\": ",
        "[\"a JSON list, not an object\"]",
        "{\"model\": \"all-minilm-l6-v2\"}",
        "{\"input\": \"\"}",
        "{\"input\": \"   \"}",
        "{\"input\": []}",
        "{\"input\": [\"fine\", 42]}",
        "{\"input\": [[101, 2023]]}",
        "{\"input\": [\"fine\", null]}",
        "{\"input\": {\"text\": \"x\"}}",
        "{\"input\": [\"a\", \"b\", \"c\", \"d\"]}",
        "{\"input\": \"x\", \"encoding_format\": \"int8\"}",
        "{\"input\": \"x\", \"dimensions\": 256}",
        "{\"input\": \"\\u0000\\u0001\"}"));
    List<ApiRequest> batch = new ArrayList<>();
    batch.add(post(json(Map.of("input", "first good one"))));
    bad.forEach(b -> batch.add(post(b)));
    batch.add(ApiRequest.builder().method("GET").path("/embeddings").query("input", "x").build());
    batch.add(post(json(Map.of("input", List.of("last", "good", "one")))));
    assertTrue(batch.size() <= 32, "within the service's batch size");

    List<ApiResponse> answers = service.inferenceBatch(batch);
    assertEquals(batch.size(), answers.size());
    assertEquals(200, answers.get(0).status(), answers.get(0).bodyText());
    assertEquals(3, JSON.readTree(answers.get(answers.size() - 1).body()).get("data").size());
    List<String> messages = new ArrayList<>();
    for (int i = 1; i <= bad.size(); i++) {
      ApiResponse a = answers.get(i);
      assertEquals(400, a.status(), bad.get(i - 1) + " -> " + a.bodyText());
      messages.add(JSON.readTree(a.body()).get("error").asText());
    }
    assertEquals(405, answers.get(answers.size() - 2).status());
    List<String> expected = List.of("malformed JSON", "must be a JSON object", "missing 'input'", "empty",
        "empty or only whitespace", "empty list", "token", "token array", "must be a string, not null",
        "must be a string or a list of strings, not an object", "at most 3", "encoding_format",
        "'dimensions' must be 384", "holds no token");
    for (int i = 0; i < expected.size(); i++) {
      assertTrue(messages.get(i).contains(expected.get(i)), bad.get(i) + " -> " + messages.get(i));
    }
  }
}
