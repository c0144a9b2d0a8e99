package dev.palisade.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** OpenAI's response shapes, as api.openai.com sends them. */
final class OpenAiWire {

  private OpenAiWire() {}

  static ObjectNode completion(JsonNode req, String text, boolean usage) {
    ObjectNode out = FakeProvider.JSON.createObjectNode();
    out.put("id", "chatcmpl-fake1").put("object", "chat.completion").put("created", 1700000000)
        .put("model", req.path("model").asText()).put("system_fingerprint", "fp_fake");
    ObjectNode choice = out.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", text).putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    if (usage) {
      out.set("usage", usage(FakeProvider.count(text)));
    }
    return out;
  }

  static ObjectNode usage(long completion) {
    ObjectNode u = FakeProvider.JSON.createObjectNode();
    u.put("prompt_tokens", FakeProvider.PROMPT_TOKENS).put("completion_tokens", completion)
        .put("total_tokens", FakeProvider.PROMPT_TOKENS + completion);
    return u;
  }

  /** data: events: role chunk, one chunk per word, finish chunk, optional usage chunk, [DONE]. */
  static List<String[]> streamEvents(JsonNode req, String text, boolean reportUsage) {
    boolean includeUsage = reportUsage && req.path("stream_options").path("include_usage").asBoolean(false);
    String model = req.path("model").asText();
    List<String[]> events = new ArrayList<>();
    ObjectNode first = chunk(model, includeUsage);
    delta(first).put("role", "assistant").put("content", "");
    events.add(new String[] {null, first.toString()});
    String[] words = text.split(" ");
    for (int i = 0; i < words.length; i++) {
      ObjectNode c = chunk(model, includeUsage);
      delta(c).put("content", (i == 0 ? "" : " ") + words[i]);
      events.add(new String[] {null, c.toString()});
    }
    ObjectNode last = chunk(model, includeUsage);
    delta(last);
    ((ObjectNode) last.get("choices").get(0)).put("finish_reason", "stop");
    events.add(new String[] {null, last.toString()});
    if (includeUsage) {
      ObjectNode u = FakeProvider.JSON.createObjectNode();
      u.put("id", "chatcmpl-fake1").put("object", "chat.completion.chunk").put("created", 1700000000)
          .put("model", model).put("system_fingerprint", "fp_fake");
      u.putArray("choices");
      u.set("usage", usage(FakeProvider.count(text)));
      events.add(new String[] {null, u.toString()});
    }
    events.add(new String[] {null, "[DONE]"});
    return events;
  }

  private static ObjectNode chunk(String model, boolean includeUsage) {
    ObjectNode c = FakeProvider.JSON.createObjectNode();
    c.put("id", "chatcmpl-fake1").put("object", "chat.completion.chunk").put("created", 1700000000)
        .put("model", model).put("system_fingerprint", "fp_fake");
    ObjectNode choice = c.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("delta");
    choice.putNull("logprobs");
    choice.putNull("finish_reason");
    if (includeUsage) {
      c.putNull("usage");
    }
    return c;
  }

  private static ObjectNode delta(ObjectNode chunk) {
    return (ObjectNode) chunk.get("choices").get(0).get("delta");
  }

  static ObjectNode embeddings(JsonNode req) {
    JsonNode input = req.path("input");
    int n = input.isArray() ? input.size() : 1;
    ObjectNode out = FakeProvider.JSON.createObjectNode();
    out.put("object", "list");
    ArrayNode data = out.putArray("data");
    for (int i = 0; i < n; i++) {
      ObjectNode e = data.addObject();
      e.put("object", "embedding").put("index", i);
      float[] vector = {0.25f, -0.5f, 0.125f * i};
      if ("base64".equals(req.path("encoding_format").asText())) {
        // As OpenAI does (and its SDKs request by default): little-endian float32, base64.
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 * vector.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) {
          bytes.putFloat(f);
        }
        e.put("embedding", java.util.Base64.getEncoder().encodeToString(bytes.array()));
      } else {
        var array = e.putArray("embedding");
        for (float f : vector) {
          array.add(f);
        }
      }
    }
    out.put("model", req.path("model").asText());
    out.putObject("usage").put("prompt_tokens", 3L * n).put("total_tokens", 3L * n);
    return out;
  }
}
