package io.modelserve.examples.echo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A streamed answer read on a plain socket, so that the tests see what the wire carries: the
 * chunked body piece by piece, when each Server-Sent Event (or text line) arrived, and how the
 * body ended (the last empty chunk, or a connection closed without it).
 */
final class StreamClient implements AutoCloseable {

  /** One event ({@code name} null for an unnamed one) or, for a text stream, one line. */
  record Event(String name, String data, long atNanos) {}

  final List<Event> events = new CopyOnWriteArrayList<>();
  int status;
  final Map<String, String> headers = new TreeMap<>();
  /** The body that is no stream (an error answer with a Content-Length). */
  String body;
  volatile boolean cleanEnd;
  volatile boolean cutOff;
  private final Socket socket;
  private final InputStream in;
  private final StringBuilder pending = new StringBuilder();
  private boolean text;

  /** Sends {@code GET pathAndQuery}; {@code receiveBuffer} > 0 makes the socket's receive buffer that small. */
  StreamClient(int port, String pathAndQuery, int receiveBuffer) {
    try {
      socket = new Socket();
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(30_000);
      in = socket.getInputStream();
      socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  StreamClient(int port, String pathAndQuery) {
    this(port, pathAndQuery, 0);
  }

  /** Reads the status line and headers; a body with a Content-Length is read whole into {@link #body}. */
  StreamClient head() {
    try {
      String[] lines = readHead().split("\r\n");
      status = Integer.parseInt(lines[0].split(" ")[1]);
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      text = !headers.getOrDefault("content-type", "").startsWith("text/event-stream");
      if (headers.containsKey("content-length")) {
        body = new String(in.readNBytes(Integer.parseInt(headers.get("content-length"))), StandardCharsets.UTF_8);
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads chunks until the body ends ({@link #cleanEnd}) or the connection closes ({@link #cutOff}). */
  StreamClient readToEnd() {
    try {
      while (readChunk()) {
        // one chunk at a time
      }
    } catch (IOException e) {
      cutOff = true;
    }
    return this;
  }

  /** Reads until {@code n} events have come, or the body ended. */
  StreamClient readEvents(int n) {
    try {
      while (events.size() < n && readChunk()) {
        // one chunk at a time
      }
    } catch (IOException e) {
      cutOff = true;
    }
    return this;
  }

  /** Reads one chunk; false at the end of the body (either way). */
  private boolean readChunk() throws IOException {
    String sizeLine = readLine();
    if (sizeLine == null) {
      cutOff = true;
      return false;
    }
    int semi = sizeLine.indexOf(';');
    int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
    if (size == 0) {
      readLine();
      cleanEnd = true;
      return false;
    }
    byte[] data = in.readNBytes(size);
    if (data.length < size || readLine() == null) {
      cutOff = true;
      return false;
    }
    pending.append(new String(data, StandardCharsets.UTF_8));
    parse();
    return true;
  }

  private void parse() {
    String separator = text ? "\n" : "\n\n";
    int end;
    while ((end = pending.indexOf(separator)) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + separator.length());
      long now = System.nanoTime();
      if (text) {
        events.add(new Event(null, block, now));
        continue;
      }
      String name = null;
      java.util.List<String> data = new java.util.ArrayList<>();
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.add(line.substring(6));
        }
      }
      events.add(new Event(name, String.join("\n", data), now));
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String s = line.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
    return null;
  }

  private String readHead() throws IOException {
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
