package dev.palisade.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic Messages API shapes. When the request offers tools, the fake calls the first one
 * with {@code {"city":"Paris"}}, as a model would.
 */
final class AnthropicWire {

  static final String TOOL_INPUT = "{\"city\":\"Paris\"}";

  private AnthropicWire() {}

  static ObjectNode message(JsonNode req, String text) {
    ObjectNode out = FakeProvider.JSON.createObjectNode();
    out.put("id", "msg_fake1").put("type", "message").put("role", "assistant")
        .put("model", req.path("model").asText());
    var content = out.putArray("content");
    content.addObject().put("type", "text").put("text", text);
    boolean tool = req.path("tools").size() > 0;
    if (tool) {
      ObjectNode use = content.addObject().put("type", "tool_use").put("id", "toolu_fake1")
          .put("name", req.path("tools").get(0).path("name").asText());
      try {
        use.set("input", FakeProvider.JSON.readTree(TOOL_INPUT));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    out.put("stop_reason", tool ? "tool_use" : "end_turn").putNull("stop_sequence");
    out.putObject("usage").put("input_tokens", FakeProvider.PROMPT_TOKENS)
        .put("output_tokens", FakeProvider.count(text));
    return out;
  }

  static List<String[]> streamEvents(JsonNode req, String text) {
    String model = req.path("model").asText();
    boolean tool = req.path("tools").size() > 0;
    List<String[]> events = new ArrayList<>();
    events.add(ev("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_fake1\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"content\":[],\"model\":\"" + model + "\",\"stop_reason\":null,"
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + FakeProvider.PROMPT_TOKENS + ",\"output_tokens\":1}}}"));
    events.add(ev("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    events.add(ev("ping", "{\"type\":\"ping\"}"));
    String[] words = text.split(" ");
    for (int i = 0; i < words.length; i++) {
      ObjectNode d = FakeProvider.JSON.createObjectNode();
      d.put("type", "content_block_delta").put("index", 0);
      d.putObject("delta").put("type", "text_delta").put("text", (i == 0 ? "" : " ") + words[i]);
      events.add(ev("content_block_delta", d.toString()));
    }
    events.add(ev("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
    if (tool) {
      String name = req.path("tools").get(0).path("name").asText();
      events.add(ev("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
          + "{\"type\":\"tool_use\",\"id\":\"toolu_fake1\",\"name\":\"" + name + "\",\"input\":{}}}"));
      for (String part : new String[] {"{\"city\":", "\"Paris\"}"}) {
        ObjectNode d = FakeProvider.JSON.createObjectNode();
        d.put("type", "content_block_delta").put("index", 1);
        d.putObject("delta").put("type", "input_json_delta").put("partial_json", part);
        events.add(ev("content_block_delta", d.toString()));
      }
      events.add(ev("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"));
    }
    events.add(ev("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
        + (tool ? "tool_use" : "end_turn") + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":"
        + FakeProvider.count(text) + "}}"));
    events.add(ev("message_stop", "{\"type\":\"message_stop\"}"));
    return events;
  }

  private static String[] ev(String name, String data) {
    return new String[] {name, data};
  }
}
