package io.modelserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {

  private static String frame(String name, String data) {
    return new String(ServerSentEvents.frame(name, data), StandardCharsets.UTF_8);
  }

  @Test
  void anUnnamedEventIsOneDataLineAndABlankLine() {
    assertEquals("data: hello\n\n", frame(null, "hello"));
  }

  @Test
  void aNamedEventStartsWithItsName() {
    assertEquals("event: token\ndata: {\"t\":1}\n\n", frame("token", "{\"t\":1}"));
  }

  @Test
  void everyKindOfLineBreakStartsANewDataLineAndEmptyLinesSurvive() {
    assertEquals("data: a\ndata: b\ndata: c\ndata: \ndata: d\ndata: \n\n", frame(null, "a\nb\r\nc\r\rd\n"));
    assertEquals("data: \n\n", frame(null, ""));
  }

  @Test
  void aNameWithALineBreakIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> frame("a\nb", "x"));
  }

  @Test
  void aResponseStreamsEventsThroughItsWrite() {
    List<String> chunks = new ArrayList<>();
    ResponseStream out = new ResponseStream() {
      @Override
      public void write(byte[] bytes) {
        chunks.add(new String(bytes, StandardCharsets.UTF_8));
      }

      @Override
      public boolean cancelled() {
        return false;
      }
    };
    out.event("x");
    out.event("done", "1\n2");
    out.write("plain");
    assertEquals(List.of("data: x\n\n", "event: done\ndata: 1\ndata: 2\n\n", "plain"), chunks);
  }

  @Test
  void eventsAreAStreamOf200WithTheEventStreamTypeAndNoCaching() {
    ApiResponse r = ApiResponse.events(out -> out.event("x"));
    assertTrue(r.isStream());
    assertEquals(200, r.status());
    assertTrue(r.contentType().startsWith("text/event-stream"));
    assertEquals("no-cache", r.headers().get("Cache-Control"));
    assertTrue(r.withHeader("X", "y").withStatus(201).isStream(), "copies stay streams");
    assertEquals(0, r.body().length);
  }
}
