package io.modelserve.examples.embedding;

import io.modelserve.Api;
import io.modelserve.ApiException;
import io.modelserve.ApiRequest;
import io.modelserve.ApiResponse;
import io.modelserve.BatchModel;
import io.modelserve.ModelServe;
import io.modelserve.Settings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * all-MiniLM-L6-v2 sentence embeddings behind {@code POST /embeddings}, in OpenAI's request and
 * answer shape, so that any OpenAI client whose base URL is the controller's root can use it.
 *
 * <p>A batch of requests runs as one set of padded ONNX runs over all their texts; each request
 * gets its own vectors back. A request that is wrong (bad JSON, no input, wrong types, too many
 * inputs) is answered 400 alone: the others in its batch are served.
 *
 * <p>Settings ({@code --set key=value} on the worker): {@code max-inputs} (texts per request,
 * default {@value #DEFAULT_MAX_INPUTS}) and those of {@link MiniLmEncoder#open(String, Settings)}.
 */
@Api(name = "embeddings", maxBatchSize = 32)
public class Embeddings implements BatchModel {

  /** OpenAI's own limit of inputs per request. */
  public static final int DEFAULT_MAX_INPUTS = 2048;

  private static final Logger log = LoggerFactory.getLogger(Embeddings.class);

  private MiniLmEncoder encoder;
  private int maxInputs = DEFAULT_MAX_INPUTS;

  @Override
  public void init(String device, Settings settings) throws Exception {
    maxInputs = settings.getInt("max-inputs", DEFAULT_MAX_INPUTS);
    if (maxInputs < 1) {
      throw new IllegalArgumentException("setting 'max-inputs' must be at least 1, not " + maxInputs);
    }
    encoder = MiniLmEncoder.open(device, settings);
    log.info("{} loaded on {}: texts cut at {} tokens, {} texts per ONNX run, {} texts per request",
        encoder.modelName(), encoder.device(), encoder.maxTokens(), encoder.batchSentences(), maxInputs);
  }

  @Override
  public List<ApiResponse> inferenceBatch(List<ApiRequest> requests) throws Exception {
    ApiResponse[] answers = new ApiResponse[requests.size()];
    List<EmbeddingRequest> parsed = new ArrayList<>(requests.size());
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      try {
        EmbeddingRequest r = EmbeddingRequest.parse(requests.get(i), maxInputs);
        parsed.add(r);
        texts.addAll(r.inputs());
      } catch (ApiException e) {
        answers[i] = ApiResponse.error(e.status(), e.getMessage());
        parsed.add(null);
      }
    }
    List<MiniLmEncoder.Embedding> embeddings;
    try {
      embeddings = texts.isEmpty() ? List.of() : encoder.embed(texts);
    } catch (MiniLmEncoder.EmptyTextException e) {
      // a text with no token once normalised (control characters only): find its request
      return oneByOne(parsed, answers);
    }
    int next = 0;
    for (int i = 0; i < answers.length; i++) {
      EmbeddingRequest r = parsed.get(i);
      if (r != null) {
        answers[i] = ApiResponse.json(answer(r, encoder.modelName(), embeddings.subList(next, next + r.inputs().size())));
        next += r.inputs().size();
      }
    }
    return List.of(answers);
  }

  private List<ApiResponse> oneByOne(List<EmbeddingRequest> parsed, ApiResponse[] answers) throws Exception {
    for (int i = 0; i < answers.length; i++) {
      EmbeddingRequest r = parsed.get(i);
      if (r != null) {
        try {
          answers[i] = ApiResponse.json(answer(r, encoder.modelName(), encoder.embed(r.inputs())));
        } catch (MiniLmEncoder.EmptyTextException e) {
          answers[i] = ApiResponse.error(400, "'input[" + e.index() + "]' holds no token (control characters"
              + " only?): there is nothing to embed");
        }
      }
    }
    return List.of(answers);
  }

  /** OpenAI's answer: {@code {"object": "list", "data": [...], "model": ..., "usage": {...}}}. */
  static Map<String, Object> answer(EmbeddingRequest request, String model,
      List<MiniLmEncoder.Embedding> embeddings) {
    List<Map<String, Object>> data = new ArrayList<>(embeddings.size());
    int tokens = 0;
    int truncated = 0;
    for (int i = 0; i < embeddings.size(); i++) {
      MiniLmEncoder.Embedding e = embeddings.get(i);
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("object", "embedding");
      item.put("embedding", request.base64() ? base64(e.vector()) : e.vector());
      item.put("index", i);
      data.add(item);
      tokens += e.tokens();
      truncated += e.truncated() ? 1 : 0;
    }
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("prompt_tokens", tokens);
    usage.put("total_tokens", tokens);
    // not OpenAI's (it refuses over-long inputs): how many inputs were cut to the model's length
    usage.put("truncated_inputs", truncated);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("object", "list");
    answer.put("data", data);
    answer.put("model", model);
    answer.put("usage", usage);
    return answer;
  }

  /** As OpenAI sends it: the floats' little-endian IEEE 754 bytes, in base64. */
  static String base64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(vector);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  @Override
  public void close() {
    if (encoder != null) {
      encoder.close();
    }
  }

  public static void main(String[] args) {
    ModelServe.runServerWithArgs(args);
  }
}
