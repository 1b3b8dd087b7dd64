package io.modelserve.examples.echo;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 connection on a plain socket, for what an HTTP client library will not send
 * (no Host, absolute-form targets, bad escapes, a body held back until 100 Continue).
 */
final class RawHttp implements AutoCloseable {

  /** One response: status, headers with lower-case names, body. */
  record Response(int status, Map<String, String> headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final Socket socket;
  private final InputStream in;

  RawHttp(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      // a read that waits this long fails the test instead of hanging it
      socket.setSoTimeout(20_000);
      in = socket.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RawHttp send(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one response: an interim 1xx has no body; a final one has a Content-Length. */
  Response read() {
    try {
      String head = readHead(in);
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new TreeMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      if (status < 200) {
        return new Response(status, headers, "");
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      return new Response(status, headers, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the server has closed the connection: a read sees its end (false while it is open). */
  boolean closedByServer(int waitMs) {
    try {
      socket.setSoTimeout(waitMs);
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      // reset by the server
      return true;
    }
  }

  /**
   * Sends {@code request} on a connection of its own to {@code port} and asserts the answer:
   * {@code status}, a JSON error that contains {@code errorPart}, then the connection closed by
   * the server within {@code waitMs}. Returns the answer for further checks.
   */
  static Response refusedThenClosed(int port, String request, int status, String errorPart, int waitMs) {
    try (RawHttp c = new RawHttp(port)) {
      Response r = c.send(request).read();
      org.junit.jupiter.api.Assertions.assertEquals(status, r.status(), "port " + port + ": " + r.body());
      org.junit.jupiter.api.Assertions.assertTrue(r.json().getString("error").contains(errorPart),
          "port " + port + ": " + r.body());
      org.junit.jupiter.api.Assertions.assertTrue(c.closedByServer(waitMs), "port " + port + ": the connection stays open");
      return r;
    }
  }

  /** Reads a response's status line and headers, up to the blank line, from {@code in}. */
  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + head.size() + " bytes: " + head);
      }
      head.write(b);
      matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1).trim();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing: nothing left to do
    }
  }
}
