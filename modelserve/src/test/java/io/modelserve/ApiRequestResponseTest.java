package io.modelserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiRequestResponseTest {

  record Greeting(String text, int times) {}

  @Test
  void firstValuesAllValuesAndMissingKeys() {
    ApiRequest r = ApiRequest.builder().query("a", "1").query("a", "2").form("f", "x").header("X-Up", "y").build();
    assertEquals("1", r.query("a"));
    assertEquals(List.of("1", "2"), r.queryAll("a"));
    assertNull(r.query("missing"));
    assertEquals(List.of(), r.queryAll("missing"));
    assertEquals("x", r.form("f"));
    assertEquals("y", r.header("x-up"));
    assertEquals("y", r.header("X-UP"));
    assertNull(r.file("image"));
  }

  @Test
  void jsonBindsToRecordsAndMaps() {
    ApiRequest r = ApiRequest.builder().body("{\"text\":\"hi\",\"times\":2}").build();
    assertEquals(new Greeting("hi", 2), r.json(Greeting.class));
    assertEquals("hi", r.jsonObject().get("text"));
  }

  @Test
  void malformedJsonIsABadRequest() {
    ApiRequest r = ApiRequest.builder().body("{\"text\":").build();
    ApiException e = assertThrows(ApiException.class, () -> r.json(Greeting.class));
    assertEquals(400, e.status());
  }

  @Test
  void theRequestCannotBeChangedAfterBuilding() {
    ApiRequest r = ApiRequest.builder().query("a", "1").build();
    assertThrows(UnsupportedOperationException.class, () -> r.queryParams().put("b", List.of()));
    assertThrows(UnsupportedOperationException.class, () -> r.queryAll("a").add("2"));
  }

  @Test
  void responseFactories() {
    assertEquals("{\"text\":\"x\"}", ApiResponse.json(Map.of("text", "x")).bodyText());
    assertEquals(404, ApiResponse.json(404, Map.of()).status());
    assertEquals("text/plain; charset=utf-8", ApiResponse.text("hé").contentType());
    assertEquals(3, ApiResponse.text("hé").body().length);
    assertEquals("image/png", ApiResponse.bytes(new byte[] {1}, "image/png").contentType());
    assertThrows(IllegalArgumentException.class, () -> ApiResponse.text("x").withStatus(99));
  }
}
