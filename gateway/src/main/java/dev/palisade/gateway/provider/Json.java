package dev.palisade.gateway.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** The one Jackson mapper of the gateway (thread-safe once configured). */
public final class Json {

  public static final ObjectMapper MAPPER = new ObjectMapper();

  static {
    // Deeply nested JSON is an attack, not a chat message.
    MAPPER.getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
  }

  private Json() {}

  public static JsonNode parse(byte[] bytes) throws IOException {
    return MAPPER.readTree(bytes);
  }

  public static JsonNode parse(String text) throws IOException {
    return MAPPER.readTree(text);
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  public static String text(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** {@code error.message} of an OpenAI- or Anthropic-style error body, if there is one. */
  public static String errorMessage(byte[] body) {
    try {
      JsonNode message = parse(body).path("error").path("message");
      return message.isTextual() ? message.asText() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
