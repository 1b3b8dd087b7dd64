package io.modelserve;

import java.nio.charset.StandardCharsets;

/**
 * The framing of Server-Sent Events ({@code text/event-stream}, WHATWG HTML 9.2): an optional
 * {@code event:} line, one {@code data:} line per line of the data, then a blank line.
 */
public final class ServerSentEvents {

  /** The content type of an event stream. */
  public static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

  private ServerSentEvents() {}

  /**
   * One event as bytes. {@code data}'s line breaks ({@code \r\n}, {@code \n} or {@code \r})
   * each start a new {@code data:} line, which a client joins back with {@code \n}.
   *
   * @param name the event's name, or {@code null} for an unnamed ({@code message}) event
   * @throws IllegalArgumentException when {@code name} contains a line break
   */
  public static byte[] frame(String name, String data) {
    StringBuilder sb = new StringBuilder(data.length() + 16);
    if (name != null) {
      if (name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("an event name cannot contain a line break: " + name);
      }
      sb.append("event: ").append(name).append('\n');
    }
    for (String line : data.split("\r\n|\r|\n", -1)) {
      sb.append("data: ").append(line).append('\n');
    }
    return sb.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }
}
