package dev.palisade.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each bound of {@link RequestLimits} just under (accepted) and just over (refused with its code). */
class RequestGuardTest {

  static final RequestLimits LIMITS = new RequestLimits(64 * 1024, 2048, 8, 2000, 500, 3, 2, 4);
  static final RequestGuard GUARD = new RequestGuard(LIMITS);

  static RequestGuard.Parsed parse(String json) {
    return GUARD.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /** An object whose deepest value sits at {@code depth} levels (the outer object is level 1). */
  static String nested(int depth) {
    return "{\"a\":" + "[".repeat(depth - 1) + "1" + "]".repeat(depth - 1) + "}";
  }

  @Test
  void nestingDepth() {
    assertNull(parse(nested(8)).error());
    LimitExceeded e = parse(nested(9)).error();
    assertEquals(400, e.status());
    assertEquals("json_too_deep", e.code());
    assertTrue(e.message().contains("8 levels"), e.message());
  }

  @Test
  void stringLength() {
    assertNull(parse("{\"s\":\"" + "x".repeat(2000) + "\"}").error());
    LimitExceeded e = parse("{\"s\":\"" + "x".repeat(2001) + "\"}").error();
    assertEquals("string_too_long", e.code());
    assertEquals(400, e.status());
  }

  @Test
  void tokenCount() {
    // [1,1,...,1] with n values is n + 2 tokens.
    assertNull(parse("[" + "1,".repeat(497) + "1]").error());
    LimitExceeded e = parse("[" + "1,".repeat(498) + "1]").error();
    assertEquals("json_too_large", e.code());
  }

  @Test
  void invalidJsonIsNotALimit() {
    assertEquals("invalid_json", parse("{\"a\":").error().code());
  }

  @Test
  void messagesToolsAndEmbeddingInputs() {
    ObjectNode chat = (ObjectNode) parse("{\"messages\":[{},{},{}],\"tools\":[{},{}]}").json();
    assertTrue(GUARD.checkShape(chat, false).isEmpty());
    chat.withArray("messages").addObject();
    assertEquals("too_many_messages", GUARD.checkShape(chat, false).orElseThrow().code());
    chat.withArray("messages").remove(0);
    chat.withArray("tools").addObject();
    assertEquals("too_many_tools", GUARD.checkShape(chat, false).orElseThrow().code());

    ObjectNode embed = (ObjectNode) parse("{\"input\":[\"a\",\"b\",\"c\",\"d\"]}").json();
    assertTrue(GUARD.checkShape(embed, true).isEmpty());
    embed.withArray("input").add("e");
    LimitExceeded e = GUARD.checkShape(embed, true).orElseThrow();
    assertEquals("too_many_inputs", e.code());
    assertTrue(e.message().contains("5 entries") && e.message().contains("limit of 4"), e.message());
  }

  @Test
  void headerBytes() {
    // name + value + ": " + CRLF per header: 1 + n + 4.
    assertTrue(GUARD.checkHeaders(List.of(Map.entry("x", "v".repeat(2043)))).isEmpty());
    LimitExceeded e = GUARD.checkHeaders(List.of(Map.entry("x", "v".repeat(2044)))).orElseThrow();
    assertEquals(431, e.status());
    assertEquals("request_header_fields_too_large", e.code());
  }

  @Test
  void theHardHeaderCapLeavesRoomForTheOpenAiShapedAnswer() {
    assertTrue(LIMITS.headerHardCap() >= 2 * LIMITS.maxHeaderBytes());
    assertEquals(413, GUARD.bodyTooLarge().status());
  }
}
