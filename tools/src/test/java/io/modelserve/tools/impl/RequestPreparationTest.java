package io.modelserve.tools.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelserve.tools.RequestSpec;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestPreparationTest {

  @Test
  void key_value_splits_at_the_first_equals_sign_and_allows_an_empty_value() {
    assertEquals(new KeyValue("a", "b=c"), KeyValue.parse("a=b=c"));
    assertEquals(new KeyValue("a", ""), KeyValue.parse("a="));
  }

  @Test
  void key_value_without_a_key_says_what_it_expected() {
    assertEquals("expected KEY=VALUE, got 'abc'",
        assertThrows(IllegalArgumentException.class, () -> KeyValue.parse("abc")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> KeyValue.parse("=x"));
  }

  @Test
  void headers_split_at_the_first_colon_and_trim_the_value() {
    assertEquals(new KeyValue("Authorization", "Bearer a:b"), KeyValue.parseHeader("Authorization:  Bearer a:b "));
    assertThrows(IllegalArgumentException.class, () -> KeyValue.parseHeader("no colon"));
    assertThrows(IllegalArgumentException.class, () -> KeyValue.parseHeader("Bad Name: x"));
  }

  @Test
  void query_parameters_are_encoded_and_appended_to_the_urls_own_query() {
    RequestSpec spec = RequestSpec.builder("http://h:1/p?x=1#frag").query("a b", "ü&=").build();

    assertEquals("http://h:1/p?x=1&a+b=%C3%BC%26%3D", PreparedRequest.of(spec).uri());
    assertEquals("http://h:1/p?k=v",
        PreparedRequest.of(RequestSpec.builder("http://h:1/p").query("k", "v").build()).uri());
  }

  @Test
  void the_method_defaults_to_get_without_a_body_and_post_with_one() {
    assertEquals(HttpMethod.GET, PreparedRequest.of(RequestSpec.builder("http://h/").build()).method());
    assertEquals(HttpMethod.POST, PreparedRequest.of(RequestSpec.builder("http://h/").form("a", "b").build()).method());
    assertEquals(HttpMethod.DELETE,
        PreparedRequest.of(RequestSpec.builder("http://h/").form("a", "b").method("delete").build()).method());
  }

  @Test
  void an_explicit_content_type_header_replaces_the_computed_one() {
    PreparedRequest request = PreparedRequest.of(RequestSpec.builder("http://h/")
        .json("{}").header("content-type", "application/vnd.x+json").build());

    assertEquals(List.of("application/vnd.x+json"), request.headers().getAll("Content-Type"));
  }

  @Test
  void multipart_parts_are_framed_by_a_fresh_random_boundary() {
    Multipart first = Multipart.encode(List.of(Map.entry("na\"me", "v")),
        List.of(new Multipart.FilePart("f", "x.bin", "application/octet-stream", new byte[] {1, 2})));
    Multipart second = Multipart.encode(List.of(), List.of());

    assertNotEquals(first.contentType(), second.contentType());
    String boundary = first.contentType().substring(first.contentType().indexOf('=') + 1);
    String body = first.body().toString("ISO-8859-1");
    assertTrue(body.startsWith("--" + boundary + "\r\nContent-Disposition: form-data; name=\"na%22me\"\r\n\r\nv\r\n"), body);
    assertTrue(body.contains("name=\"f\"; filename=\"x.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n\u0001\u0002\r\n"), body);
    assertTrue(body.endsWith("--" + boundary + "--\r\n"), body);
  }

  @Test
  void content_types_come_from_the_extension() {
    assertEquals("image/jpeg", ContentTypes.guess("photo.JPG"));
    assertEquals("application/json", ContentTypes.guess("a.json"));
    assertEquals("application/octet-stream", ContentTypes.guess("weights.unknownext"));
    assertEquals("application/octet-stream", ContentTypes.guess("noextension"));
  }

  @Test
  void the_progress_bar_fills_in_proportion() {
    assertEquals("[################              ]  52% 5200/10000", ProgressBar.render(0.52, "5200/10000"));
    assertEquals("[##############################] 100% done", ProgressBar.render(1.5, "done"));
  }

  @Test
  void transport_errors_get_short_stable_names() {
    assertEquals("connection refused", Failures.of(new java.net.ConnectException("Connection refused")));
    assertEquals("timeout", Failures.of(new RuntimeException(new java.util.concurrent.TimeoutException())));
    assertEquals("HTTP 503", Failures.ofStatus(503));
  }
}
