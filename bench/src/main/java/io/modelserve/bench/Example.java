package io.modelserve.bench;

import java.nio.file.Path;
import java.util.List;

/** An example module the benchmark starts nodes of: its main class and where its build is. */
record Example(String mainClass, String module) {

  static final Example ECHO = new Example("io.modelserve.examples.echo.Main", "examples/echo");
  static final Example OCR = new Example("io.modelserve.examples.ocr.OcrService", "examples/ocr");
  static final Example EMBEDDING =
      new Example("io.modelserve.examples.embedding.Embeddings", "examples/text-embedding");

  /** Worker arguments the example's workers need: the service's settings ({@code --set}). */
  List<String> workerArgs(Path repoRoot) {
    if (this.equals(OCR)) {
      return List.of("--set", "models=" + ocrModels(repoRoot));
    }
    return List.of();
  }

  /**
   * Whether the module is built here: its main class compiled and its class path written. An
   * example still being written on another branch is absent, and its scenario says so.
   */
  boolean built(Path repoRoot) {
    Path target = repoRoot.resolve(module).resolve("target");
    return java.nio.file.Files.isRegularFile(target.resolve("classpath.txt"))
        && java.nio.file.Files.isRegularFile(target.resolve("classes").resolve(mainClass.replace('.', '/') + ".class"));
  }

  static Path ocrModels(Path repoRoot) {
    return repoRoot.resolve("examples/ocr/models");
  }
}
