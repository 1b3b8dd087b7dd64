package io.modelserve.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Reads a Server-Sent Events answer on a plain socket as the bytes arrive, counting events by
 * their blank-line ends: how long the first one took from the send, and how many came per
 * second. A socket rather than an HTTP client library, whose own buffering and hand-offs would
 * add more to a few-millisecond figure than the servers measured. One connection per stream
 * ({@code Connection: close}), so the end of the answer is the end of the connection.
 */
final class SseClient {

  /** {@code firstEventMs}: from the send to the end of the first event; {@code seconds}: to the last byte. */
  record Stream(long events, double firstEventMs, double seconds) {}

  private SseClient() {}

  static Stream get(String url) {
    URI uri = URI.create(url);
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      long start = System.nanoTime();
      out.write(("GET " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
          + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\nAccept: text/event-stream\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] buf = new byte[64 * 1024];
      long events = 0;
      long first = -1;
      boolean checked = false;
      byte prev = 0;
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (!checked) {
          // the status line comes whole in the first read: it is a few dozen bytes
          String head = new String(buf, 0, Math.min(n, 12), StandardCharsets.US_ASCII);
          if (!head.startsWith("HTTP/1.1 200")) {
            throw new IllegalStateException(url + " answered " + new String(buf, 0, n, StandardCharsets.UTF_8));
          }
          checked = true;
        }
        // headers end with \r\n\r\n, chunk framing with \r\n: only an event's end is \n\n
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n' && prev == '\n' && events++ == 0) {
            first = System.nanoTime();
          }
          prev = buf[i];
        }
      }
      long end = System.nanoTime();
      return new Stream(events, first < 0 ? Double.NaN : (first - start) / 1e6, (end - start) / 1e9);
    } catch (IOException e) {
      throw new IllegalStateException(url + ": " + e, e);
    }
  }
}
