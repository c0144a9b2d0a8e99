package dev.palisade.gateway.admin;

import static dev.palisade.gateway.testing.GatewayHarness.HASH_A;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.gateway.admin.AdminTokens;
import dev.palisade.gateway.consumer.ConsumerKeys;
import dev.palisade.gateway.testing.FakeProvider;
import dev.palisade.gateway.testing.ServiceHarness;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API over real HTTP, and its effect on the proxy port. */
class AdminApiIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String CONFIG_TOKEN = "config-declared-admin-token-42";
  static FakeProvider upstream;
  static ServiceHarness gw;

  @BeforeAll
  static void start() throws Exception {
    upstream = FakeProvider.start("admin-upstream");
    gw = ServiceHarness.start("""
        server: {host: 127.0.0.1, port: 0, event_loops: 1}
        admin:
          host: 127.0.0.1
          port: 0
          audit_log: %%DIR%%/audit.jsonl
          tokens:
            - {id: ops-config, sha256: %s}
        lifecycle: {watch_config: false}
        providers:
          - name: upstream
            protocol: openai
            base_url: %s
            keys: [{id: u1, value: sk-admin-test-provider-key-1}, {id: u2, value: sk-admin-test-provider-key-2}]
        routes:
          - {match: "*", targets: [{provider: upstream}]}
        consumers:
          - {name: team-a, key_sha256: %s, models: ["*"]}
        """.formatted(ConsumerKeys.sha256Hex(CONFIG_TOKEN), upstream.baseUrl(), HASH_A),
        List.of(AdminTokens.hashed("env", ServiceHarness.ADMIN_TOKEN)));
  }

  @AfterAll
  static void stop() {
    gw.close();
    upstream.close();
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void consumerLifecycleThroughTheAdminApiTakesEffectOnTheProxy() throws Exception {
    HttpResponse<String> created = gw.admin("POST", "/admin/consumers",
        "{\"name\":\"team-x\",\"models\":[\"gpt-4o*\"],\"limits\":{\"tokens_per_day\":100000}}");
    assertEquals(201, created.statusCode(), created.body());
    JsonNode c = json(created);
    String key = c.path("issued_key").path("key").asText();
    String keyId = c.path("issued_key").path("key_id").asText();
    assertTrue(key.startsWith("pgw-"), created.body());
    assertEquals("admin", c.path("origin").asText());
    assertEquals(100000, c.path("limits").path("tokens_per_day").asLong());
    assertTrue(c.path("limits").path("requests_per_minute").isNull());

    assertEquals(200, gw.chat(key, "gpt-4o", false).statusCode());
    assertEquals(403, gw.chat(key, "claude-3", false).statusCode(), "models are enforced");

    // The key is shown once: never in listings.
    HttpResponse<String> listed = gw.admin("GET", "/admin/consumers/team-x", null);
    assertEquals(200, listed.statusCode());
    assertFalse(listed.body().contains(key), listed.body());
    assertFalse(listed.body().contains(ConsumerKeys.sha256Hex(key)), "not even the hash is echoed");
    assertEquals(keyId, json(listed).path("keys").get(0).path("id").asText());

    // Limits and models change at runtime.
    HttpResponse<String> patched = gw.admin("PATCH", "/admin/consumers/team-x",
        "{\"models\":[\"*\"],\"limits\":{\"requests_per_minute\":2}}");
    assertEquals(200, patched.statusCode(), patched.body());
    assertEquals(200, gw.chat(key, "claude-3", false).statusCode());
    assertEquals(429, gw.chat(key, "claude-3", false).statusCode(),
        "the new rate limit (2 a minute, one already used) applies at once");

    HttpResponse<String> usage = gw.admin("GET", "/admin/consumers/team-x/usage", null);
    assertEquals(200, usage.statusCode(), usage.body());
    assertTrue(json(usage).path("usage").path("tokens_used_today").asLong() > 0, usage.body());

    // A second key, then revoke the first.
    HttpResponse<String> second = gw.admin("POST", "/admin/consumers/team-x/keys", "{\"id\":\"ci\"}");
    assertEquals(201, second.statusCode(), second.body());
    String key2 = json(second).path("key").asText();
    assertEquals(409, gw.admin("POST", "/admin/consumers/team-x/keys", "{\"id\":\"ci\"}").statusCode());
    assertEquals(204, gw.admin("DELETE", "/admin/consumers/team-x/keys/" + keyId, null).statusCode());
    assertEquals(404, gw.admin("DELETE", "/admin/consumers/team-x/keys/" + keyId, null).statusCode());
    assertEquals(401, gw.chat(key, "gpt-4o", false).statusCode(), "a revoked key is refused at once");
    assertEquals(429, gw.chat(key2, "gpt-4o", false).statusCode(), "same consumer, same rate window");

    assertEquals(204, gw.admin("DELETE", "/admin/consumers/team-x", null).statusCode());
    assertEquals(401, gw.chat(key2, "gpt-4o", false).statusCode());
    assertEquals(404, gw.admin("GET", "/admin/consumers/team-x", null).statusCode());

    String audit = Files.readString(gw.dir.resolve("audit.jsonl"));
    assertFalse(audit.contains(key), "keys never reach the audit log");
    assertFalse(audit.contains(key2));
    assertFalse(audit.contains(ServiceHarness.ADMIN_TOKEN), "nor admin tokens");
    List<JsonNode> entries = audit.lines().map(l -> {
      try {
        return JSON.readTree(l);
      } catch (Exception e) {
        throw new AssertionError("not a JSON line: " + l, e);
      }
    }).filter(e -> e.path("target").asText().startsWith("consumer/team-x")).toList();
    assertEquals(List.of("consumer.create", "consumer.update", "key.create", "key.create", "key.revoke",
            "key.revoke", "consumer.delete"),
        entries.stream().map(e -> e.path("action").asText()).toList());
    assertEquals(List.of("ok", "ok", "ok", "error", "ok", "error", "ok"),
        entries.stream().map(e -> e.path("result").asText()).toList());
    for (JsonNode e : entries) {
      assertEquals("env", e.path("actor").asText());
      assertFalse(e.path("time").asText().isEmpty());
    }
  }

  @Test
  void configConsumersAreReadOnlyThroughTheApi() throws Exception {
    HttpResponse<String> r = gw.admin("PATCH", "/admin/consumers/team-a", "{\"models\":[\"x\"]}");
    assertEquals(409, r.statusCode(), r.body());
    assertEquals("read_only", json(r).path("error").path("code").asText());
    assertEquals(409, gw.admin("DELETE", "/admin/consumers/team-a", null).statusCode());
    assertEquals(409, gw.admin("POST", "/admin/consumers", "{\"name\":\"team-a\",\"models\":[\"*\"]}").statusCode());
    assertEquals(200, gw.chat(KEY_A, "gpt-4o", false).statusCode());
    JsonNode a = json(gw.admin("GET", "/admin/consumers/team-a", null));
    assertEquals("config", a.path("origin").asText());
    assertEquals("config", a.path("keys").get(0).path("id").asText());
  }

  @Test
  void badRequestsGetClearJsonErrorsWithoutInternals() throws Exception {
    record Case(String method, String path, String body, int status, String code) {}
    for (Case k : List.of(
        new Case("POST", "/admin/consumers", "{not json", 400, "invalid_json"),
        new Case("POST", "/admin/consumers", "[]", 400, "invalid_json"),
        new Case("POST", "/admin/consumers", "{\"name\":\"bad name!\",\"models\":[\"*\"]}", 400, "invalid_request"),
        new Case("POST", "/admin/consumers", "{\"name\":\"ok\",\"models\":[]}", 400, "invalid_request"),
        new Case("POST", "/admin/consumers", "{\"name\":\"ok\",\"models\":[\"*\"],\"limit\":{}}", 400, "invalid_request"),
        new Case("POST", "/admin/consumers", "{\"name\":\"ok\",\"models\":[\"*\"],\"limits\":{\"tokens_per_day\":-5}}",
            400, "invalid_request"),
        new Case("GET", "/admin/consumers/nobody", null, 404, "consumer_not_found"),
        new Case("PATCH", "/admin/consumers/nobody", "{\"models\":[\"*\"]}", 404, "consumer_not_found"),
        new Case("PUT", "/admin/consumers", "{}", 405, "method_not_allowed"),
        new Case("GET", "/admin/nothing", null, 404, "not_found"),
        new Case("POST", "/admin/consumers", "{\"name\":\"big\",\"models\":[\"" + "x".repeat(70_000) + "\"]}",
            413, "body_too_large"))) {
      HttpResponse<String> r = gw.admin(k.method(), k.path(), k.body());
      assertEquals(k.status(), r.statusCode(), k + " -> " + r.body());
      JsonNode error = json(r).path("error");
      assertEquals(k.code(), error.path("code").asText(), r.body());
      assertFalse(error.path("message").asText().isBlank());
      assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), r.body());
    }
  }

  @Test
  void everyCallNeedsAnAdminTokenAndConsumerKeysAreNotOne() throws Exception {
    assertEquals(401, gw.admin("GET", "/admin/consumers", null, null).statusCode());
    assertEquals(401, gw.admin("GET", "/admin/consumers", null, "wrong-token-0123456789").statusCode());
    assertEquals(401, gw.admin("GET", "/admin/consumers", null, KEY_A).statusCode());
    assertEquals(200, gw.admin("GET", "/admin/consumers", null, CONFIG_TOKEN).statusCode());
    HttpResponse<String> viaProxyPort = gw.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(gw.baseUrl() + "/admin/consumers"))
        .header("authorization", "Bearer " + ServiceHarness.ADMIN_TOKEN).GET().build());
    assertEquals(404, viaProxyPort.statusCode(), "the admin API is not on the public port");
  }

  @Test
  void keyPoolStatusShowsKeyIdsNeverKeys() throws Exception {
    HttpResponse<String> r = gw.admin("GET", "/admin/providers", null);
    assertEquals(200, r.statusCode(), r.body());
    assertFalse(r.body().contains("sk-admin-test"), r.body());
    JsonNode keys = json(r).path("providers").get(0).path("keys");
    assertEquals("u1", keys.get(0).path("id").asText());
    assertEquals("available", keys.get(0).path("status").asText());
    assertEquals(2, keys.size());
  }

  @Test
  void usageOfAllConsumers() throws Exception {
    assertEquals(200, gw.chat(KEY_A, "gpt-4o", false).statusCode());
    HttpResponse<String> r = gw.admin("GET", "/admin/usage", null);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode a = null;
    for (JsonNode c : json(r).path("consumers")) {
      if (c.path("consumer").asText().equals("team-a")) {
        a = c;
      }
    }
    assertTrue(a != null && a.path("usage").path("tokens_used_today").asLong() > 0, r.body());
  }
}
