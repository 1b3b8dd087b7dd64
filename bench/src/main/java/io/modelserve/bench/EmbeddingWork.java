package io.modelserve.bench;

import io.modelserve.testing.LocalCluster;
import io.modelserve.testing.LocalCluster.Node;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the embedding scenarios (7, 8) share: the example's service, the one request they send
 * (a sentence in OpenAI's shape, the same from every load generator and in-process), and how a
 * worker of a given batch size is started and checked.
 */
final class EmbeddingWork {

  static final String SERVICE = "embeddings";
  static final String PATH = "/embeddings";
  /** 18 words, 21 tokens: a short sentence, as a search index or a RAG pipeline embeds. */
  static final String SENTENCE =
      "The controller queues each request and hands a worker a whole batch as soon as its device frees.";
  /** The example's own {@code @Api(maxBatchSize)}. */
  static final int MAX_BATCH = 32;

  private EmbeddingWork() {}

  static String body() {
    return new JsonObject().put("input", SENTENCE).encode();
  }

  /**
   * Whether the example is built; if not, says so in the report, so that the rest of the suite
   * still runs (the example may still be on its own branch).
   */
  static boolean available(Run run) {
    if (Example.EMBEDDING.built(LocalCluster.repoRoot())) {
      return true;
    }
    run.results.problem(run.scenario, "skipped: " + Example.EMBEDDING.module() + " is not built here (no "
        + Example.EMBEDDING.mainClass() + " in its target/classes); bench/run.sh builds it once the module exists");
    return false;
  }

  static Path bodyFile(Run run) throws IOException {
    Path file = run.work.resolve("embedding-request.json");
    Files.createDirectories(run.work);
    Files.writeString(file, body());
    return file;
  }

  static Path wrkScript(Run run) throws IOException {
    return Wrk.postJsonScript(run.work.resolve("embedding-post.lua"), body());
  }

  /** Starts an embedding worker with {@code --max-batch-size maxBatch} and checks one answer. */
  static Node startWorker(BenchCluster cluster, int maxBatch) {
    return startWorker(cluster, maxBatch, "cpu");
  }

  /** As {@link #startWorker(BenchCluster, int)}, on {@code device} ({@code cpu} or a GPU index). */
  static Node startWorker(BenchCluster cluster, int maxBatch, String device) {
    Node worker = cluster.startWorker(SERVICE, device, JvmProfile.EMBEDDING, "--max-batch-size", "" + maxBatch);
    HttpResponse<String> r = cluster.local().send(HttpRequest.newBuilder(cluster.uri(PATH))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body())).build());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("embeddings answered " + r.statusCode() + ": " + r.body());
    }
    int dims = new JsonObject(r.body()).getJsonArray("data").getJsonObject(0).getJsonArray("embedding").size();
    if (dims != 384) {
      throw new IllegalStateException("embeddings answered a vector of " + dims + " floats, not 384");
    }
    return worker;
  }
}
