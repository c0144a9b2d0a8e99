package dev.palisade.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.gateway.provider.Json;
import java.io.IOException;

/** OpenAI chat request to Anthropic Messages request. */
final class AnthropicRequests {

  /** Anthropic requires max_tokens; OpenAI does not. Used when the client gave none. */
  static final int DEFAULT_MAX_TOKENS = 4096;

  private AnthropicRequests() {}

  static ObjectNode toMessages(ObjectNode openAi) {
    ObjectNode out = Json.object();
    out.put("model", openAi.path("model").asText());
    JsonNode max =
        openAi.hasNonNull("max_completion_tokens")
            ? openAi.get("max_completion_tokens")
            : openAi.get("max_tokens");
    out.put("max_tokens", max != null && max.canConvertToInt() ? max.asInt() : DEFAULT_MAX_TOKENS);
    StringBuilder system = new StringBuilder();
    ArrayNode messages = out.putArray("messages");
    for (JsonNode m : openAi.path("messages")) {
      String role = m.path("role").asText();
      switch (role) {
        case "system", "developer" -> {
          if (system.length() > 0) {
            system.append("\n\n");
          }
          system.append(text(m.get("content")));
        }
        case "user" -> append(messages, "user", userBlocks(m.get("content")));
        case "assistant" -> append(messages, "assistant", assistantBlocks(m));
        case "tool" -> {
          ArrayNode blocks = Json.MAPPER.createArrayNode();
          ObjectNode result = blocks.addObject();
          result.put("type", "tool_result");
          result.put("tool_use_id", m.path("tool_call_id").asText());
          result.put("content", text(m.get("content")));
          append(messages, "user", blocks);
        }
        default -> throw new IllegalArgumentException("unsupported message role '" + role + "'");
      }
    }
    if (system.length() > 0) {
      out.put("system", system.toString());
    }
    copy(openAi, "temperature", out, "temperature");
    copy(openAi, "top_p", out, "top_p");
    if (openAi.path("stream").asBoolean(false)) {
      out.put("stream", true);
    }
    JsonNode stop = openAi.get("stop");
    if (stop != null && stop.isTextual()) {
      out.putArray("stop_sequences").add(stop.asText());
    } else if (stop != null && stop.isArray()) {
      out.set("stop_sequences", stop);
    }
    if (openAi.path("tools").isArray() && !openAi.path("tools").isEmpty()) {
      ArrayNode tools = out.putArray("tools");
      for (JsonNode t : openAi.path("tools")) {
        JsonNode fn = t.path("function");
        ObjectNode tool = tools.addObject();
        tool.put("name", fn.path("name").asText());
        if (fn.hasNonNull("description")) {
          tool.put("description", fn.get("description").asText());
        }
        tool.set("input_schema", fn.hasNonNull("parameters")
            ? fn.get("parameters") : Json.object().put("type", "object"));
      }
    }
    JsonNode choice = openAi.get("tool_choice");
    if (choice != null && !choice.isNull()) {
      ObjectNode tc = Json.object();
      if (choice.isTextual()) {
        tc.put("type", switch (choice.asText()) {
          case "required" -> "any";
          case "none" -> "none";
          default -> "auto";
        });
      } else {
        tc.put("type", "tool");
        tc.put("name", choice.path("function").path("name").asText());
      }
      out.set("tool_choice", tc);
    }
    return out;
  }

  /** Anthropic wants user/assistant turns; consecutive turns of one role become one. */
  private static void append(ArrayNode messages, String role, ArrayNode blocks) {
    if (!messages.isEmpty()) {
      JsonNode last = messages.get(messages.size() - 1);
      if (role.equals(last.path("role").asText())) {
        ((ArrayNode) last.get("content")).addAll(blocks);
        return;
      }
    }
    ObjectNode m = messages.addObject();
    m.put("role", role);
    m.set("content", blocks);
  }

  private static ArrayNode userBlocks(JsonNode content) {
    ArrayNode blocks = Json.MAPPER.createArrayNode();
    if (content == null || content.isNull()) {
      return blocks;
    }
    if (content.isTextual()) {
      blocks.addObject().put("type", "text").put("text", content.asText());
      return blocks;
    }
    for (JsonNode part : content) {
      String type = part.path("type").asText();
      if ("text".equals(type)) {
        blocks.addObject().put("type", "text").put("text", part.path("text").asText());
      } else if ("image_url".equals(type)) {
        String url = part.path("image_url").path("url").asText();
        ObjectNode image = blocks.addObject().put("type", "image");
        ObjectNode source = image.putObject("source");
        if (url.startsWith("data:") && url.contains(";base64,")) {
          source.put("type", "base64");
          source.put("media_type", url.substring(5, url.indexOf(';')));
          source.put("data", url.substring(url.indexOf(";base64,") + 8));
        } else {
          source.put("type", "url");
          source.put("url", url);
        }
      } else {
        throw new IllegalArgumentException("unsupported content part type '" + type + "'");
      }
    }
    return blocks;
  }

  private static ArrayNode assistantBlocks(JsonNode m) {
    ArrayNode blocks = Json.MAPPER.createArrayNode();
    String text = text(m.get("content"));
    if (!text.isEmpty()) {
      blocks.addObject().put("type", "text").put("text", text);
    }
    for (JsonNode call : m.path("tool_calls")) {
      ObjectNode use = blocks.addObject();
      use.put("type", "tool_use");
      use.put("id", call.path("id").asText());
      use.put("name", call.path("function").path("name").asText());
      String args = call.path("function").path("arguments").asText("{}");
      try {
        use.set("input", Json.parse(args.isBlank() ? "{}" : args));
      } catch (IOException e) {
        throw new IllegalArgumentException("tool call arguments are not JSON");
      }
    }
    return blocks;
  }

  /** The text of a string content or of the text parts of an array content. */
  static String text(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode part : content) {
      if ("text".equals(part.path("type").asText())) {
        out.append(part.path("text").asText());
      }
    }
    return out.toString();
  }

  private static void copy(ObjectNode from, String name, ObjectNode to, String as) {
    if (from.hasNonNull(name)) {
      to.set(as, from.get(name));
    }
  }
}
