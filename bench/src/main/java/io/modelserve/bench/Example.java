package io.modelserve.bench;

import java.nio.file.Path;

/** An example module the benchmark starts nodes of: its main class and where its build is. */
record Example(String mainClass, String module) {

  static final Example ECHO = new Example("io.modelserve.examples.echo.Main", "examples/echo");
  static final Example OCR = new Example("io.modelserve.examples.ocr.OcrService", "examples/ocr");

  /** JVM flags the example's nodes need beyond the profile's. */
  String[] jvmArgs(Path repoRoot) {
    if (this.equals(OCR)) {
      return new String[] {"-Dmodelserve.ocr.models=" + ocrModels(repoRoot)};
    }
    return new String[0];
  }

  static Path ocrModels(Path repoRoot) {
    return repoRoot.resolve("examples/ocr/models");
  }
}
