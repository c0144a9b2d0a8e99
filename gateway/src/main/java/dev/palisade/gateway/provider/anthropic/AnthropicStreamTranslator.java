package dev.palisade.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.gateway.provider.ChunkSink;
import dev.palisade.gateway.provider.Json;
import dev.palisade.gateway.provider.StreamTranslator;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Anthropic's typed stream events to OpenAI chunks: text and tool-call argument deltas, the stop
 * reason, and usage (input from {@code message_start}, output from {@code message_delta}),
 * emitted as OpenAI's final usage chunk.
 */
final class AnthropicStreamTranslator implements StreamTranslator {

  private String id = "";
  private String model = "";
  private final long created = System.currentTimeMillis() / 1000;
  private long inputTokens;
  private long outputTokens;
  private boolean usageSeen;
  /** Anthropic content block index to OpenAI tool call index. */
  private final Map<Integer, Integer> toolIndex = new HashMap<>();

  @Override
  public void onEvent(String event, String data, ChunkSink sink) {
    JsonNode node;
    try {
      node = Json.parse(data);
    } catch (IOException e) {
      sink.error("the provider sent a stream event that is not JSON");
      return;
    }
    String type = node.path("type").asText(event == null ? "" : event);
    switch (type) {
      case "message_start" -> {
        JsonNode message = node.path("message");
        id = message.path("id").asText();
        model = message.path("model").asText();
        inputTokens = message.path("usage").path("input_tokens").asLong();
        usageSeen = message.path("usage").has("input_tokens");
        ObjectNode chunk = chunk();
        delta(chunk).put("role", "assistant").put("content", "");
        sink.chunk(chunk, null);
      }
      case "content_block_start" -> {
        JsonNode block = node.path("content_block");
        if ("tool_use".equals(block.path("type").asText())) {
          int openAiIndex = toolIndex.size();
          toolIndex.put(node.path("index").asInt(), openAiIndex);
          ObjectNode chunk = chunk();
          ObjectNode call = delta(chunk).putArray("tool_calls").addObject();
          call.put("index", openAiIndex);
          call.put("id", block.path("id").asText());
          call.put("type", "function");
          call.putObject("function").put("name", block.path("name").asText()).put("arguments", "");
          sink.chunk(chunk, null);
        }
      }
      case "content_block_delta" -> {
        JsonNode delta = node.path("delta");
        String deltaType = delta.path("type").asText();
        if ("text_delta".equals(deltaType)) {
          ObjectNode chunk = chunk();
          delta(chunk).put("content", delta.path("text").asText());
          sink.chunk(chunk, null);
        } else if ("input_json_delta".equals(deltaType)) {
          Integer index = toolIndex.get(node.path("index").asInt());
          if (index != null) {
            ObjectNode chunk = chunk();
            ObjectNode call = delta(chunk).putArray("tool_calls").addObject();
            call.put("index", index);
            call.putObject("function").put("arguments", delta.path("partial_json").asText());
            sink.chunk(chunk, null);
          }
        }
      }
      case "message_delta" -> {
        if (node.path("usage").has("output_tokens")) {
          outputTokens = node.path("usage").path("output_tokens").asLong();
          usageSeen = true;
        }
        if (node.path("usage").has("input_tokens")) {
          inputTokens = Math.max(inputTokens, node.path("usage").path("input_tokens").asLong());
        }
        String reason = AnthropicResponses.finishReason(node.path("delta").path("stop_reason").asText(null));
        if (reason != null) {
          ObjectNode chunk = chunk();
          delta(chunk);
          ((ObjectNode) chunk.get("choices").get(0)).put("finish_reason", reason);
          sink.chunk(chunk, null);
        }
      }
      case "message_stop" -> {
        if (usageSeen) {
          ObjectNode chunk = Json.object();
          chunk.put("id", id).put("object", "chat.completion.chunk").put("created", created);
          chunk.put("model", model);
          chunk.putArray("choices");
          chunk.set("usage", AnthropicResponses.usage(inputTokens, outputTokens));
          sink.chunk(chunk, null);
        }
        sink.done();
      }
      case "error" -> {
        JsonNode message = node.path("error").path("message");
        sink.error(message.isTextual() ? message.asText() : "the provider reported an error");
      }
      default -> {
        // ping, content_block_stop and future event types carry nothing to translate
      }
    }
  }

  private ObjectNode chunk() {
    ObjectNode chunk = Json.object();
    chunk.put("id", id).put("object", "chat.completion.chunk").put("created", created);
    chunk.put("model", model);
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putNull("finish_reason");
    return chunk;
  }

  private static ObjectNode delta(ObjectNode chunk) {
    return ((ObjectNode) chunk.get("choices").get(0)).putObject("delta");
  }
}
