package io.modelserve.examples.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.modelserve.examples.seq2seq.HubDownload.DownloadException;
import io.modelserve.examples.seq2seq.HubDownload.HubFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubDownloadTest {

  private static final byte[] CONTENT = new byte[300_000];

  static {
    for (int i = 0; i < CONTENT.length; i++) {
      CONTENT[i] = (byte) (i * 31);
    }
  }

  @TempDir Path dir;
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile boolean honourRange = true;
  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

  @BeforeEach
  void startHub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      String range = exchange.getRequestHeaders().getFirst("Range");
      requests.add(path + (range == null ? "" : " " + range));
      if (!path.equals("/org/model/resolve/main/onnx/encoder_model.onnx")) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      int from = 0;
      int status = 200;
      if (range != null && honourRange) {
        from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
        status = 206;
      }
      exchange.sendResponseHeaders(status, CONTENT.length - from);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(CONTENT, from, CONTENT.length - from);
      }
    });
    server.start();
  }

  @AfterEach
  void stopHub() {
    server.stop(0);
  }

  private HubDownload hub(String endpoint) {
    return new HubDownload(endpoint, null, Duration.ofSeconds(2), new PrintStream(progress, true, StandardCharsets.UTF_8));
  }

  private String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void downloadsIntoTheTargetFolderUnderTheFileName() throws IOException {
    hub(endpoint()).fetchAll("org/model", "main", List.of(HubFile.of("onnx/encoder_model.onnx")), dir);
    assertArrayEquals(CONTENT, Files.readAllBytes(dir.resolve("encoder_model.onnx")));
    assertFalse(Files.exists(dir.resolve("encoder_model.onnx.part")));
    assertTrue(progress.toString(StandardCharsets.UTF_8).contains("100%"), progress::toString);
  }

  @Test
  void resumesAPartialDownloadWithARangeRequest() throws IOException {
    Files.write(dir.resolve("encoder_model.onnx.part"), Arrays.copyOf(CONTENT, 1000));
    hub(endpoint()).fetch("org/model", "main", HubFile.of("onnx/encoder_model.onnx"), dir.resolve("encoder_model.onnx"));
    assertEquals(List.of("/org/model/resolve/main/onnx/encoder_model.onnx bytes=1000-"), requests);
    assertArrayEquals(CONTENT, Files.readAllBytes(dir.resolve("encoder_model.onnx")));
  }

  @Test
  void startsOverWhenTheServerIgnoresTheRange() throws IOException {
    honourRange = false;
    Files.write(dir.resolve("encoder_model.onnx.part"), new byte[5000]);
    hub(endpoint()).fetch("org/model", "main", HubFile.of("onnx/encoder_model.onnx"), dir.resolve("encoder_model.onnx"));
    assertArrayEquals(CONTENT, Files.readAllBytes(dir.resolve("encoder_model.onnx")));
  }

  @Test
  void skipsAFileThatIsAlreadyComplete() throws IOException {
    Files.writeString(dir.resolve("encoder_model.onnx"), "done");
    hub(endpoint()).fetch("org/model", "main", HubFile.of("onnx/encoder_model.onnx"), dir.resolve("encoder_model.onnx"));
    assertEquals(List.of(), requests);
  }

  @Test
  void aMissingFileIsReportedAsNotFound() {
    DownloadException e = assertThrows(DownloadException.class, () ->
        hub(endpoint()).fetch("org/model", "main", HubFile.of("nope.onnx"), dir.resolve("nope.onnx")));
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
  }

  @Test
  void anUnreachableHubFailsFastSayingTheMachineLooksOffline() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    DownloadException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(DownloadException.class,
        () -> hub("http://127.0.0.1:" + closedPort).fetch("org/model", "main", HubFile.of("onnx/encoder_model.onnx"),
            dir.resolve("encoder_model.onnx"))));
    assertTrue(e.getMessage().contains("offline"), e.getMessage());
    assertTrue(e.getMessage().contains("HF_ENDPOINT"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("encoder_model.onnx")));
  }
}
