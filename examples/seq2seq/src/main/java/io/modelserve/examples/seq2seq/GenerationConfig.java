package io.modelserve.examples.seq2seq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The token ids that drive greedy decoding, read as transformers reads them: {@code
 * generation_config.json} first, then {@code config.json}, then its {@code decoder} or {@code
 * text_config} section (vision encoder-decoder and BLIP keep the decoder's ids there).
 *
 * @param decoderStartTokenId the first decoder input (T5: pad 0; GPT-2: bos 50256; BLIP: [DEC])
 * @param eosTokenIds generating any of these ends the text; {@code eos_token_id} may be a list
 * @param maxLength transformers' {@code max_length} when the files set one, else -1
 */
public record GenerationConfig(long decoderStartTokenId, Set<Long> eosTokenIds, int maxLength, JsonNode config) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static GenerationConfig read(Path modelDir) throws IOException {
    JsonNode config = readJson(modelDir.resolve("config.json"));
    JsonNode generation = readJson(modelDir.resolve("generation_config.json"));
    JsonNode[] sources = {generation, config, config.path("decoder"), config.path("text_config")};

    long start = firstLong(sources, "decoder_start_token_id");
    if (start < 0) {
      start = firstLong(sources, "bos_token_id");
    }
    Set<Long> eos = new LinkedHashSet<>();
    for (JsonNode source : sources) {
      JsonNode node = source.path("eos_token_id");
      if (node.isArray()) {
        node.forEach(n -> eos.add(n.asLong()));
      } else if (node.isIntegralNumber()) {
        eos.add(node.asLong());
      }
      if (!eos.isEmpty()) {
        break;
      }
    }
    if (start < 0 || eos.isEmpty()) {
      throw new IOException(modelDir + ": config.json names no decoder_start_token_id/bos_token_id or eos_token_id");
    }
    int maxLength = (int) firstLong(new JsonNode[] {generation}, "max_length");
    return new GenerationConfig(start, Set.copyOf(eos), maxLength, config);
  }

  /**
   * An integer of the decoder's architecture ({@code num_heads}, {@code n_head}, ...) from
   * config.json or its decoder section, or -1: used only where the ONNX export leaves a cache
   * dimension symbolic.
   */
  public long configLong(String... keys) {
    return firstLong(new JsonNode[] {config, config.path("decoder"), config.path("text_config")}, keys);
  }

  private static long firstLong(JsonNode[] sources, String... keys) {
    for (JsonNode source : sources) {
      for (String key : keys) {
        JsonNode node = source.path(key);
        if (node.isIntegralNumber()) {
          return node.asLong();
        }
      }
    }
    return -1;
  }

  private static JsonNode readJson(Path file) throws IOException {
    return Files.exists(file) ? MAPPER.readTree(file.toFile()) : MAPPER.createObjectNode();
  }
}
