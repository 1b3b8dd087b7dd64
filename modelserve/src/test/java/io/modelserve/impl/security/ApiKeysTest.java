package io.modelserve.impl.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  @Test
  void aFileOfKeysWithLabelsCommentsAndBlankLines() {
    ApiKeys keys = ApiKeys.parse("# ours\n\n0123456789abcdef0 search\r\n fedcba9876543210x  \n", "keys.txt");
    assertEquals(2, keys.size());
    assertEquals(List.of("search", "key 2"), keys.labels());
    assertTrue(keys.accepts("0123456789abcdef0"));
    assertTrue(keys.accepts("fedcba9876543210x"));
    assertFalse(keys.accepts("0123456789abcdef"), "a prefix is not the key");
    assertFalse(keys.accepts("search"));
    assertFalse(keys.accepts(null));
    assertFalse(keys.toString().contains("0123"), keys.toString());
  }

  @Test
  void anEnvironmentVariableListsKeysSeparatedByCommas() {
    ApiKeys keys = ApiKeys.parse("0123456789abcdef0,fedcba9876543210x", "$MODELSERVE_API_KEYS");
    assertEquals(2, keys.size());
  }

  @Test
  void aShortKeyIsRefusedNamingItsEntryNotTheKey() {
    var e = assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse("0123456789abcdef0\nsecret\n", "k"));
    assertEquals("k, entry 2: a key must be at least 16 visible ASCII characters", e.getMessage());
    assertFalse(e.getMessage().contains("secret"));
  }

  @Test
  void aByteOrderMarkBeforeTheFirstKeyIsNoPartOfIt() {
    ApiKeys keys = ApiKeys.parse("\uFEFF0123456789abcdef0 first\r\n", "keys.txt");
    assertEquals(1, keys.size());
    assertTrue(keys.accepts("0123456789abcdef0"));
    assertEquals(List.of("first"), keys.labels());
  }

  @Test
  void aKeyWithACharacterOutsideVisibleAsciiIsRefusedNamingWhere() {
    var e = assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse("0123456789\u00e9bcdef0\n", "k"));
    assertEquals("k, entry 1: a key may hold only visible ASCII characters; this one has another at position 11",
        e.getMessage());
  }

  @Test
  void noKeysRequireNothing() {
    assertFalse(ApiKeys.none().required());
    assertFalse(ApiKeys.parse("# none yet\n", "k").required());
  }

  @Test
  void theKeyARequestPresents() {
    assertEquals("k1", ApiKeys.presented("Bearer k1", null));
    assertEquals("k1", ApiKeys.presented("bearer  k1 ", "k2"));
    assertEquals("k2", ApiKeys.presented(null, "k2"));
    assertEquals("k2", ApiKeys.presented("Basic dXNlcjpwYXNz", "k2"));
    assertNull(ApiKeys.presented(null, null));
  }
}
