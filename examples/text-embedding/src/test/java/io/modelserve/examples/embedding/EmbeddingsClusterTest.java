package io.modelserve.examples.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.modelserve.testing.HeadlessChromium;
import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.Poll;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * {@code POST /embeddings} through a real controller JVM and worker JVM: LangChain4j's own
 * in-process model is the reference, LangChain4j's OpenAI client a real client, and the page
 * runs in headless Chromium (Debian's chromium and chromium-driver, never a browser download).
 */
class EmbeddingsClusterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static LocalCluster cluster;
  private static LocalCluster.Node worker;
  private static AllMiniLmL6V2EmbeddingModel reference;
  private static HeadlessChromium chromium;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder(Embeddings.class.getName()).start();
    worker = cluster.startWorker("embeddings");
    reference = new AllMiniLmL6V2EmbeddingModel();
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static HttpResponse<String> post(String body) {
    return cluster.send(HttpRequest.newBuilder(cluster.uri("/embeddings"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static JsonNode embed(Object input) throws IOException {
    HttpResponse<String> r = post(JSON.writeValueAsString(Map.of("input", input, "model", "all-minilm-l6-v2")));
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).floatValue();
    }
    return out;
  }

  private static void assertSameAsLangChain4j(String text, float[] ours) {
    double cos = Vectors.cosine(reference.embed(text).content().vector(), ours);
    assertTrue(cos >= 0.9999, "cosine " + cos + " for: " + text);
  }

  @Test
  void oneTextPerRequestGivesLangChain4jsVectors() throws Exception {
    List<String> texts = new ArrayList<>(Vectors.TEXTS);
    texts.add(Vectors.LONG_TEXT);
    for (String text : texts) {
      JsonNode body = embed(text);
      assertEquals(1, body.get("data").size());
      assertSameAsLangChain4j(text, floats(body.get("data").get(0).get("embedding")));
      assertEquals(reference.embed(text).tokenUsage().inputTokenCount(),
          body.get("usage").get("prompt_tokens").asInt(), text);
    }
  }

  @Test
  void severalTextsOfVeryDifferentLengthsInOneRequestGiveLangChain4jsVectors() throws Exception {
    List<String> texts = new ArrayList<>(Vectors.TEXTS);
    texts.add(1, Vectors.LONG_TEXT);
    JsonNode body = embed(texts);
    assertEquals(texts.size(), body.get("data").size());
    for (int i = 0; i < texts.size(); i++) {
      assertEquals(i, body.get("data").get(i).get("index").asInt());
      assertSameAsLangChain4j(texts.get(i), floats(body.get("data").get(i).get("embedding")));
    }
    assertEquals(1, body.get("usage").get("truncated_inputs").asInt(), "the long text was cut");
  }

  @Test
  void langChain4jsOpenAiClientPointedAtTheControllerGetsTheSameVectors() {
    // OpenAI clients append /embeddings to their base URL: here, the controller's root
    for (String baseUrl : List.of(cluster.uri("").toString(), cluster.uri("/").toString())) {
      OpenAiEmbeddingModel client = OpenAiEmbeddingModel.builder()
          .baseUrl(baseUrl).apiKey("unused").modelName("all-minilm-l6-v2")
          .timeout(Duration.ofSeconds(60)).maxRetries(0).build();
      List<TextSegment> segments = Vectors.TEXTS.stream().map(TextSegment::from).toList();
      Response<List<Embedding>> answer = client.embedAll(segments);
      assertEquals(segments.size(), answer.content().size(), baseUrl);
      for (int i = 0; i < segments.size(); i++) {
        assertSameAsLangChain4j(segments.get(i).text(), answer.content().get(i).vector());
      }
      assertTrue(answer.tokenUsage().inputTokenCount() > 0, baseUrl);
    }
  }

  @Test
  void badInputsAnswerAJson400AndTheWorkerKeepsServing() throws Exception {
    List<String> bad = List.of(
        "{\"input\": \"unterminated",
        "{\"input\": \"\"}",
        "{\"input\": []}",
        "{\"input\": [\"fine\", 7]}",
        "{\"input\": [[101, 2023, 102]]}",
        "{\"input\": 3.5}",
        "{\"input\": \"x\", \"dimensions\": 1536}",
        "{\"input\": \"x\", \"encoding_format\": \"hex\"}",
        "{\"input\": [" + "\"x\",".repeat(Embeddings.DEFAULT_MAX_INPUTS) + "\"x\"]}");
    for (String body : bad) {
      HttpResponse<String> r = post(body);
      assertEquals(400, r.statusCode(), body + " -> " + r.body());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
      String error = JSON.readTree(r.body()).get("error").asText();
      assertTrue(!error.isBlank(), r.body());
    }
    worker.assertAlive();
    assertEquals(1, cluster.liveWorkers("embeddings"));
    JsonNode good = embed(List.of("still serving"));
    assertEquals(MiniLmEncoder.DIMENSIONS, good.get("data").get(0).get("embedding").size());
  }

  @Test
  void base64AnswersDecodeToTheFloatVectors() throws Exception {
    HttpResponse<String> r = post("{\"input\": \"A man is eating food.\", \"encoding_format\": \"base64\"}");
    assertEquals(200, r.statusCode(), r.body());
    float[] decoded = Vectors.fromBase64(JSON.readTree(r.body()).get("data").get(0).get("embedding").asText());
    assertEquals(MiniLmEncoder.DIMENSIONS, decoded.length);
    assertSameAsLangChain4j("A man is eating food.", decoded);
  }

  @Test
  void thePageShowsTheCosineMatrixOfTypedSentences() throws Exception {
    WebDriver page = browser();
    page.get(cluster.uri("/").toString());
    WebElement sentences = page.findElement(By.id("sentences"));
    sentences.clear();
    sentences.sendKeys("A man is eating food.\nA man is eating food.\nA man is eating a piece of bread.\n"
        + "A monkey is playing drums.");
    page.findElement(By.id("send")).click();
    Poll.until(Duration.ofSeconds(30), "the page shows a 4 x 4 matrix",
        () -> page.findElements(By.cssSelector("#matrix td")).size() == 16);
    double[][] m = new double[4][4];
    List<WebElement> rows = page.findElements(By.cssSelector("#matrix tr"));
    assertEquals(5, rows.size(), "a header row and one row per sentence");
    for (int i = 0; i < 4; i++) {
      List<WebElement> cells = rows.get(i + 1).findElements(By.tagName("td"));
      for (int j = 0; j < 4; j++) {
        m[i][j] = Double.parseDouble(cells.get(j).getText());
        assertTrue(!cells.get(j).getCssValue("background-color").isBlank(), "shaded cell");
      }
    }
    for (int i = 0; i < 4; i++) {
      assertEquals(1.00, m[i][i], 1e-9, "diagonal " + i);
    }
    assertEquals(1.00, m[0][1], 1e-9, "identical sentences");
    assertTrue(m[0][2] > m[0][3], "eating bread is closer to eating food than drumming is: " + m[0][2] + " vs " + m[0][3]);
    assertEquals(m[0][2], m[2][0], 1e-9, "symmetric");
    String shadeRelated = rows.get(1).findElements(By.tagName("td")).get(2).getCssValue("background-color");
    String shadeUnrelated = rows.get(1).findElements(By.tagName("td")).get(3).getCssValue("background-color");
    assertTrue(!shadeRelated.equals(shadeUnrelated), shadeRelated + " vs " + shadeUnrelated);
  }

  @Test
  void thePageShowsTheServersErrorWhenTheServiceRefuses() throws Exception {
    WebDriver page = browser();
    page.get(cluster.uri("/").toString());
    // a pasted control character (keys cannot type one): a line the model finds no token in
    ((JavascriptExecutor) page).executeScript("document.getElementById('sentences').value = '\\u0001';");
    page.findElement(By.id("send")).click();
    Poll.until(Duration.ofSeconds(30), "the page shows the error",
        () -> !page.findElement(By.id("error")).getText().isBlank());
    assertTrue(page.findElement(By.id("error")).getText().contains("no token"),
        page.findElement(By.id("error")).getText());
    assertEquals(0, page.findElements(By.cssSelector("#matrix td")).size());
  }

  /** Started by the first page test only, so that the JSON tests need no browser. */
  private static synchronized WebDriver browser() throws IOException {
    if (chromium == null) {
      chromium = HeadlessChromium.start();
    }
    return chromium.driver();
  }
}
