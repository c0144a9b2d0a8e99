package dev.palisade.gateway.provider.anthropic;

import static dev.palisade.gateway.testing.GatewayHarness.HASH_A;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.gateway.testing.FakeProvider;
import dev.palisade.gateway.testing.GatewayHarness;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An Anthropic upstream behind the OpenAI API: requests and (streamed) answers translated. */
class AnthropicIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static FakeProvider anthropic;
  static GatewayHarness gateway;

  static final String TOOLS = """
      "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather in a city",
        "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
      "tool_choice":"required",""";

  @BeforeAll
  static void start() throws Exception {
    anthropic = FakeProvider.start("claude");
    gateway = GatewayHarness.start("""
        server: {host: 127.0.0.1, port: 0, event_loops: 1}
        providers:
          - name: anthropic
            protocol: anthropic
            base_url: %s
            keys: [{id: c1, value: sk-ant-one}]
        routes:
          - match: "claude-*"
            targets: [{provider: anthropic}]
        consumers:
          - {name: team-a, key_sha256: %s, models: ["*"]}
        """.formatted(anthropic.baseUrl(), HASH_A));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    anthropic.close();
  }

  @Test
  void requestIsTranslatedToTheMessagesApi() throws Exception {
    gateway.post("/v1/chat/completions", KEY_A, """
        {"model":"claude-sonnet-4","max_tokens":300,"temperature":0.2,"stop":"END",
         "messages":[{"role":"system","content":"Be brief."},
                     {"role":"user","content":"Weather?"},
                     {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_1","type":"function",
                        "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
                     {"role":"tool","tool_call_id":"toolu_1","content":"rainy"},
                     {"role":"user","content":"And tomorrow?"}]}""");
    FakeProvider.Received sent = anthropic.received("/v1/messages").get(anthropic.received("/v1/messages").size() - 1);
    JsonNode body = sent.body();
    assertEquals("sk-ant-one", sent.apiKey());
    assertEquals("claude-sonnet-4", body.path("model").asText());
    assertEquals(300, body.path("max_tokens").asInt());
    assertEquals("Be brief.", body.path("system").asText());
    assertEquals("END", body.at("/stop_sequences/0").asText());
    assertEquals(3, body.path("messages").size(), "tool result and next user turn merge into one user turn");
    assertEquals("tool_use", body.at("/messages/1/content/0/type").asText());
    assertEquals("Oslo", body.at("/messages/1/content/0/input/city").asText());
    assertEquals("tool_result", body.at("/messages/2/content/0/type").asText());
    assertEquals("toolu_1", body.at("/messages/2/content/0/tool_use_id").asText());
    assertEquals("And tomorrow?", body.at("/messages/2/content/1/text").asText());
  }

  @Test
  void nonStreamingAnswerWithAToolCallIsOpenAiShaped() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A, """
        {"model":"claude-sonnet-4",%s "messages":[{"role":"user","content":"Weather in Paris?"}]}""".formatted(TOOLS));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("chat.completion", body.path("object").asText());
    JsonNode message = body.at("/choices/0/message");
    assertEquals("Hello from claude model claude-sonnet-4.", message.path("content").asText());
    assertEquals("get_weather", message.at("/tool_calls/0/function/name").asText());
    assertEquals("Paris", JSON.readTree(message.at("/tool_calls/0/function/arguments").asText()).path("city").asText());
    assertEquals("tool_calls", body.at("/choices/0/finish_reason").asText());
    assertEquals(FakeProvider.PROMPT_TOKENS, body.at("/usage/prompt_tokens").asLong());
    assertEquals(5, body.at("/usage/completion_tokens").asLong());
    JsonNode sent = anthropic.received("/v1/messages").get(anthropic.received("/v1/messages").size() - 1).body();
    assertEquals("get_weather", sent.at("/tools/0/name").asText());
    assertEquals("object", sent.at("/tools/0/input_schema/type").asText());
    assertEquals("any", sent.at("/tool_choice/type").asText());
    assertEquals(AnthropicRequests.DEFAULT_MAX_TOKENS, sent.path("max_tokens").asInt());
  }

  @Test
  void streamedEventsBecomeOpenAiChunksWithToolCallsStopReasonAndUsage() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A, """
        {"model":"claude-sonnet-4","stream":true,"stream_options":{"include_usage":true},%s
         "messages":[{"role":"user","content":"Weather in Paris?"}]}""".formatted(TOOLS));
    assertEquals(200, r.statusCode(), r.body());
    List<String> data = GatewayHarness.sseData(r.body());
    assertEquals("[DONE]", data.get(data.size() - 1));
    StringBuilder text = new StringBuilder();
    StringBuilder args = new StringBuilder();
    String toolName = null;
    String finish = null;
    JsonNode usage = null;
    for (String d : data.subList(0, data.size() - 1)) {
      JsonNode chunk = JSON.readTree(d);
      assertEquals("chat.completion.chunk", chunk.path("object").asText());
      assertEquals("msg_fake1", chunk.path("id").asText());
      if (chunk.path("usage").isObject()) {
        usage = chunk.path("usage");
        continue;
      }
      JsonNode delta = chunk.at("/choices/0/delta");
      text.append(delta.path("content").asText(""));
      for (JsonNode call : delta.path("tool_calls")) {
        assertEquals(0, call.path("index").asInt());
        if (call.at("/function/name").isTextual()) {
          toolName = call.at("/function/name").asText();
        }
        args.append(call.at("/function/arguments").asText(""));
      }
      if (chunk.at("/choices/0/finish_reason").isTextual()) {
        finish = chunk.at("/choices/0/finish_reason").asText();
      }
    }
    assertEquals("Hello from claude model claude-sonnet-4.", text.toString());
    assertEquals("get_weather", toolName);
    assertEquals(AnthropicWireText.TOOL_INPUT, args.toString());
    assertEquals("tool_calls", finish);
    assertEquals(FakeProvider.PROMPT_TOKENS, usage.path("prompt_tokens").asLong());
    assertEquals(5, usage.path("completion_tokens").asLong());
  }

  @Test
  void streamWithoutIncludeUsageHidesTheTranslatedUsageChunk() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A, """
        {"model":"claude-haiku","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
    assertEquals(200, r.statusCode(), r.body());
    assertFalse(r.body().contains("\"usage\""), r.body());
    assertTrue(r.body().contains("\"finish_reason\":\"stop\""), r.body());
  }

  @Test
  void anthropicErrorsAreMappedToOpenAiErrors() throws Exception {
    anthropic.respond(r -> new FakeProvider.Error(400, "max_tokens: must be positive", null));
    try {
      HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A, """
          {"model":"claude-haiku","messages":[{"role":"user","content":"Hi"}]}""");
      assertEquals(400, r.statusCode());
      assertEquals("max_tokens: must be positive", JSON.readTree(r.body()).at("/error/message").asText());
    } finally {
      anthropic.respond(r -> FakeProvider.OK);
    }
  }

  @Test
  void embeddingsOnAnAnthropicRouteAreRefusedClearly() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/embeddings", KEY_A, "{\"model\":\"claude-x\",\"input\":\"a\"}");
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("embeddings_unsupported", JSON.readTree(r.body()).at("/error/code").asText());
  }

  /** The tool input the fake Anthropic streams in two partial_json pieces. */
  static final class AnthropicWireText {
    static final String TOOL_INPUT = "{\"city\":\"Paris\"}";
  }
}
