package dev.palisade.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.gateway.provider.Json;

/** Anthropic Messages response to OpenAI chat completion. */
final class AnthropicResponses {

  private AnthropicResponses() {}

  static ObjectNode toChatCompletion(JsonNode message) {
    ObjectNode out = Json.object();
    out.put("id", message.path("id").asText());
    out.put("object", "chat.completion");
    out.put("created", System.currentTimeMillis() / 1000);
    out.put("model", message.path("model").asText());
    ObjectNode choice = out.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode msg = choice.putObject("message");
    msg.put("role", "assistant");
    StringBuilder text = new StringBuilder();
    ArrayNode calls = null;
    for (JsonNode block : message.path("content")) {
      switch (block.path("type").asText()) {
        case "text" -> text.append(block.path("text").asText());
        case "tool_use" -> {
          if (calls == null) {
            calls = Json.MAPPER.createArrayNode();
          }
          ObjectNode call = calls.addObject();
          call.put("id", block.path("id").asText());
          call.put("type", "function");
          ObjectNode fn = call.putObject("function");
          fn.put("name", block.path("name").asText());
          fn.put("arguments", Json.text(block.path("input")));
        }
        default -> {
          // thinking and other block types have no OpenAI counterpart
        }
      }
    }
    if (text.length() > 0 || calls == null) {
      msg.put("content", text.toString());
    } else {
      msg.putNull("content");
    }
    if (calls != null) {
      msg.set("tool_calls", calls);
    }
    choice.put("finish_reason", finishReason(message.path("stop_reason").asText(null)));
    JsonNode usage = message.path("usage");
    out.set("usage", usage(usage.path("input_tokens").asLong(), usage.path("output_tokens").asLong()));
    return out;
  }

  static ObjectNode usage(long input, long output) {
    ObjectNode u = Json.object();
    u.put("prompt_tokens", input);
    u.put("completion_tokens", output);
    u.put("total_tokens", input + output);
    return u;
  }

  static String finishReason(String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "max_tokens" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop"; // end_turn, stop_sequence, pause_turn
    };
  }
}
