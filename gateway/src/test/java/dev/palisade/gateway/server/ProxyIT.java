package dev.palisade.gateway.server;

import static dev.palisade.gateway.testing.GatewayHarness.HASH_A;
import static dev.palisade.gateway.testing.GatewayHarness.HASH_B;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_A;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_B;
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

/** OpenAI-compatible proxying end to end: real HTTP in, real HTTP to a fake OpenAI upstream. */
class ProxyIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static FakeProvider upstream;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    upstream = FakeProvider.start("primary");
    gateway = GatewayHarness.start("""
        server:
          host: 127.0.0.1
          port: 0
          event_loops: 2
        providers:
          - name: primary
            protocol: openai
            base_url: %s
            keys:
              - id: p1
                value: sk-primary-one
          - name: azure
            protocol: azure-openai
            base_url: %s
            api_version: 2024-10-21
            keys:
              - id: z1
                value: azure-key-one
        routes:
          - match: gpt-4o
            targets:
              - provider: primary
                model: gpt-4o-2024-08-06
          - match: "text-embedding-*"
            targets:
              - provider: primary
          - match: gpt-4o-mini
            targets:
              - provider: primary
          - match: azure-4o
            targets:
              - provider: azure
                model: my-4o-deployment
        consumers:
          - name: team-a
            key_sha256: %s
            models: ["*"]
          - name: team-b
            key_sha256: %s
            models: ["gpt-4o"]
        """.formatted(upstream.baseUrl(), upstream.rootUrl(), HASH_A, HASH_B));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  static final String CHAT = """
      {"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}""";

  @Test
  void chatIsRoutedWithTheModelRenamedAndTheProviderKeyAdded() throws Exception {
    int before = upstream.received("/v1/chat/completions").size();
    HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A, CHAT);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("chat.completion", body.path("object").asText());
    assertEquals("Hello from primary model gpt-4o-2024-08-06.", body.at("/choices/0/message/content").asText());
    assertEquals(FakeProvider.PROMPT_TOKENS, body.at("/usage/prompt_tokens").asLong());
    List<FakeProvider.Received> seen = upstream.received("/v1/chat/completions");
    assertEquals(before + 1, seen.size());
    FakeProvider.Received last = seen.get(seen.size() - 1);
    assertEquals("gpt-4o-2024-08-06", last.body().path("model").asText());
    assertEquals("sk-primary-one", last.apiKey());
    assertEquals("Be brief.", last.body().at("/messages/0/content").asText());
  }

  @Test
  void azureOpenAiGetsTheDeploymentPathApiVersionAndApiKeyHeader() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A, """
        {"model":"azure-4o","messages":[{"role":"user","content":"Hi"}]}""");
    assertEquals(200, r.statusCode(), r.body());
    FakeProvider.Received sent = last("/openai/deployments/my-4o-deployment/chat/completions");
    assertEquals("azure-key-one", sent.apiKey());
    assertEquals("my-4o-deployment", sent.body().path("model").asText());
  }

  @Test
  void streamingRelaysChunksAndHidesTheUsageChunkTheClientDidNotAskFor() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A, """
        {"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("text/event-stream", r.headers().firstValue("content-type").orElseThrow());
    List<String> data = GatewayHarness.sseData(r.body());
    assertEquals("[DONE]", data.get(data.size() - 1));
    StringBuilder text = new StringBuilder();
    for (String d : data.subList(0, data.size() - 1)) {
      JsonNode chunk = JSON.readTree(d);
      assertEquals("chat.completion.chunk", chunk.path("object").asText());
      assertFalse(chunk.has("usage"), "usage must be hidden: " + d);
      assertEquals(1, chunk.path("choices").size(), d);
      text.append(chunk.at("/choices/0/delta/content").asText(""));
    }
    assertEquals("Hello from primary model gpt-4o-mini.", text.toString());
    FakeProvider.Received sent = last("/v1/chat/completions");
    assertTrue(sent.body().at("/stream_options/include_usage").asBoolean(), "the gateway asks for usage");
  }

  @Test
  void aStreamArrivingInOneReadIsRelayedWhole() throws Exception {
    upstream.respond(r -> new FakeProvider.Burst());
    try {
      HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A, """
          {"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
      List<String> data = GatewayHarness.sseData(r.body());
      assertEquals("[DONE]", data.get(data.size() - 1));
      assertEquals(8, data.size(), "role chunk, 5 words, finish chunk, [DONE]: " + r.body());
    } finally {
      upstream.respond(r -> FakeProvider.OK);
    }
  }

  @Test
  void streamingKeepsTheUsageChunkWhenTheClientAskedForIt() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A, """
        {"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},
         "messages":[{"role":"user","content":"Hi"}]}""");
    assertEquals(200, r.statusCode(), r.body());
    List<String> data = GatewayHarness.sseData(r.body());
    JsonNode usageChunk = JSON.readTree(data.get(data.size() - 2));
    assertEquals(0, usageChunk.path("choices").size());
    assertEquals(FakeProvider.PROMPT_TOKENS, usageChunk.at("/usage/prompt_tokens").asLong());
    assertEquals(5, usageChunk.at("/usage/completion_tokens").asLong());
  }

  @Test
  void embeddingsAreProxied() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/embeddings", KEY_A, """
        {"model":"text-embedding-3-small","input":["a","b"]}""");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals(2, body.path("data").size());
    assertEquals("embedding", body.at("/data/1/object").asText());
    assertEquals("text-embedding-3-small", last("/v1/embeddings").body().path("model").asText());
  }

  @Test
  void modelsListsOnlyWhatTheConsumerMayUse() throws Exception {
    JsonNode all = JSON.readTree(gateway.get("/v1/models", KEY_A).body());
    assertEquals("list", all.path("object").asText());
    assertEquals(List.of("azure-4o", "gpt-4o", "gpt-4o-mini"), ids(all));
    JsonNode limited = JSON.readTree(gateway.get("/v1/models", KEY_B).body());
    assertEquals(List.of("gpt-4o"), ids(limited));
  }

  @Test
  void errorsHaveOpenAisShapeAndStatus() throws Exception {
    assertError(gateway.post("/v1/chat/completions", null, CHAT), 401, "invalid_api_key");
    assertError(gateway.post("/v1/chat/completions", "pgw-wrong", CHAT), 401, "invalid_api_key");
    assertError(gateway.get("/v1/models", null), 401, "invalid_api_key");
    assertError(gateway.post("/v1/chat/completions", KEY_B, """
        {"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}]}"""), 403, "model_not_allowed");
    assertError(gateway.post("/v1/chat/completions", KEY_A, """
        {"model":"llama-9","messages":[{"role":"user","content":"x"}]}"""), 404, "model_not_found");
    assertError(gateway.post("/v1/chat/completions", KEY_A, "{not json"), 400, "invalid_json");
    assertError(gateway.post("/v1/chat/completions", KEY_A, "{\"messages\":[]}"), 400, "missing_model");
    assertError(gateway.post("/v1/chat/completions", KEY_A, "{\"model\":\"gpt-4o\"}"), 400, "missing_messages");
    assertError(gateway.post("/v1/embeddings", KEY_A, "{\"model\":\"text-embedding-3-small\"}"), 400, "missing_input");
    assertError(gateway.get("/v1/nope", KEY_A), 404, "unknown_url");
    assertError(gateway.get("/v1/chat/completions", KEY_A), 405, "method_not_allowed");
  }

  @Test
  void upstreamClientErrorsPassThroughWithTheirStatus() throws Exception {
    upstream.respond(r -> new FakeProvider.Error(400, "Invalid 'messages[0].role': 'robot'", null));
    try {
      HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A, CHAT);
      assertError(r, 400, null);
      assertTrue(r.body().contains("Invalid 'messages[0].role'"), r.body());
    } finally {
      upstream.respond(r -> FakeProvider.OK);
    }
  }

  @Test
  void healthReadinessAndMetrics() throws Exception {
    assertEquals(200, gateway.get("/healthz", null).statusCode());
    assertEquals(200, gateway.get("/readyz", null).statusCode());
    gateway.post("/v1/chat/completions", KEY_A, CHAT);
    HttpResponse<String> metrics = gateway.get("/metrics", null);
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.headers().firstValue("content-type").orElseThrow().startsWith("text/plain"));
    String text = metrics.body();
    assertTrue(text.contains(
        "gateway_requests_total{route=\"gpt-4o\",model=\"gpt-4o-2024-08-06\",provider=\"primary\",consumer=\"team-a\",status=\"200\"}"), text);
    assertTrue(text.contains("gateway_tokens_total{model=\"gpt-4o-2024-08-06\",consumer=\"team-a\",direction=\"input\"}"), text);
    assertTrue(text.contains("gateway_request_duration_seconds_bucket{"), text);
    assertTrue(text.contains("gateway_upstream_responses_total{provider=\"primary\",status=\"200\"}"), text);
    assertTrue(text.contains("gateway_key_status{provider=\"primary\",key_id=\"p1\",status=\"available\"} 1.0"), text);
    assertFalse(text.contains("sk-primary-one"), "no key in metrics");
    gateway.post("/v1/chat/completions", KEY_A, """
        {"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
    assertTrue(gateway.get("/metrics", null).body().contains(
        "gateway_time_to_first_token_seconds_count{route=\"gpt-4o-mini\",model=\"*\",provider=\"primary\"}"));
  }

  private static FakeProvider.Received last(String path) {
    List<FakeProvider.Received> r = upstream.received(path);
    return r.get(r.size() - 1);
  }

  private static List<String> ids(JsonNode list) {
    List<String> out = new java.util.ArrayList<>();
    list.path("data").forEach(m -> out.add(m.path("id").asText()));
    return out;
  }

  static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode error = JSON.readTree(r.body()).path("error");
    assertTrue(error.path("message").isTextual() && !error.path("message").asText().isBlank(), r.body());
    assertTrue(error.path("type").isTextual(), r.body());
    if (code != null) {
      assertEquals(code, error.path("code").asText(), r.body());
    }
  }
}
