package dev.palisade.gateway.reload;

import static dev.palisade.gateway.testing.GatewayHarness.HASH_A;
import static dev.palisade.gateway.testing.GatewayHarness.HASH_B;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_A;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.gateway.admin.AdminTokens;
import dev.palisade.gateway.testing.FakeProvider;
import dev.palisade.gateway.testing.GatewayHarness;
import dev.palisade.gateway.testing.ServiceHarness;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hot reload of a running gateway: by file change and by admin call, good configs and bad. */
class ReloadIT {

  static final ObjectMapper JSON = new ObjectMapper();

  FakeProvider one;
  FakeProvider two;
  ServiceHarness gw;

  /** Port 0, so a reload that keeps "port: 0" changes nothing that needs a restart. */
  String config(String providerUrl, String model, String consumerB, String extra) {
    return """
        server: {host: 127.0.0.1, port: 0, event_loops: 2}
        admin: {host: 127.0.0.1, port: 0, audit_log: "%%DIR%%/audit.jsonl"}
        lifecycle: {watch_config: true, poll_interval: 100ms, debounce: 200ms, drain_timeout: 5s}
        providers:
          - name: up
            protocol: openai
            base_url: %s
            keys: [{id: k1, value: sk-reload-test-provider-key-1}]
        routes:
          - {match: "*", targets: [{provider: up, model: %s}]}
        consumers:
          - {name: team-a, key_sha256: %s, models: ["*"], limits: {tokens_per_day: 1000000}}
        %s
        %s
        """.formatted(providerUrl, model, HASH_A, consumerB, extra);
  }

  static final String CONSUMER_B = "  - {name: team-b, key_sha256: " + HASH_B + ", models: [\"*\"]}";

  @BeforeEach
  void start() throws Exception {
    one = FakeProvider.start("one");
    two = FakeProvider.start("two");
    gw = ServiceHarness.start(config(one.baseUrl(), "m1", "", ""),
        List.of(AdminTokens.hashed("env", ServiceHarness.ADMIN_TOKEN)));
  }

  @AfterEach
  void stop() {
    gw.close();
    one.close();
    two.close();
  }

  long reloads(String result) {
    return gw.service.server().runtime().metrics().configReloads.value(result);
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aChangedFileIsAppliedAndAStreamInFlightFinishesOnTheOldConfig() throws Exception {
    one.respond(r -> new FakeProvider.Trickle(30, 50)); // ~1.5 s of streaming
    CompletableFuture<HttpResponse<String>> stream =
        gw.http().sendAsync(gw.chatRequest(KEY_A, "gpt-4o", true), HttpResponse.BodyHandlers.ofString());
    await(() -> !one.received("/v1/chat/completions").isEmpty(), "the stream to start upstream");

    gw.rewrite(config(two.baseUrl(), "m2", CONSUMER_B, ""));
    await(() -> reloads("applied") == 1, "the reload");
    assertTrue(gw.service.server().ready());
    assertFalse(stream.isDone(), "the stream is still running across the swap");

    HttpResponse<String> after = gw.chat(KEY_B, "gpt-4o", false);
    assertEquals(200, after.statusCode(), "new consumer from the new config: " + after.body());
    assertEquals("m2", JSON.readTree(after.body()).path("model").asText());
    assertEquals(1, two.received("/v1/chat/completions").size(), "new requests go to the new provider");

    HttpResponse<String> streamed = stream.get(20, TimeUnit.SECONDS);
    assertEquals(200, streamed.statusCode());
    List<String> data = GatewayHarness.sseData(streamed.body());
    assertEquals("[DONE]", data.get(data.size() - 1), "the old stream ended normally");
    assertFalse(streamed.body().contains("\"error\""), streamed.body());
    StringBuilder text = new StringBuilder();
    for (String d : data.subList(0, data.size() - 1)) {
      JsonNode chunk = JSON.readTree(d);
      assertEquals("m1", chunk.path("model").asText(), "the old stream stayed on the old route");
      text.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
    }
    assertTrue(text.toString().endsWith("w30"), text.toString());
    assertEquals(1, one.received("/v1/chat/completions").size());

    String audit = Files.readString(gw.dir.resolve("audit.jsonl"));
    assertTrue(audit.contains("\"actor\":\"config-watch\"") && audit.contains("\"action\":\"config.reload\""), audit);
  }

  @Test
  void aBadConfigIsRefusedRedactedAndTheOldOneKeepsServing() throws Exception {
    String leaked = "sk-new-secret-that-must-not-leak-0001";
    // A key pasted into the wrong field: the validation message quotes the value it refuses.
    gw.rewrite(config(one.baseUrl(), "m1", "", "").replace("protocol: openai", "protocol: " + leaked));
    await(() -> reloads("refused") == 1, "the refusal");
    assertEquals(0, reloads("applied"));
    assertEquals(200, gw.chat(KEY_A, "gpt-4o", false).statusCode(), "the old config keeps serving");

    HttpResponse<String> viaAdmin = gw.admin("POST", "/admin/reload", null);
    assertEquals(422, viaAdmin.statusCode(), viaAdmin.body());
    JsonNode body = JSON.readTree(viaAdmin.body());
    assertEquals("refused", body.path("result").asText());
    assertTrue(body.path("error").asText().contains("providers[0].protocol: expected one of"), body.toString());
    assertTrue(body.path("error").asText().contains("[REDACTED]"), body.toString());
    assertFalse(viaAdmin.body().contains(leaked), viaAdmin.body());
    assertFalse(Files.readString(gw.dir.resolve("audit.jsonl")).contains(leaked));
    String metrics = gw.get("/metrics").body();
    assertTrue(metrics.contains("gateway_config_reloads_total{result=\"refused\"} 2"), metrics);
  }

  @Test
  void adminReloadReportsRestartOnlySettingsAndUnchangedContent() throws Exception {
    HttpResponse<String> same = gw.admin("POST", "/admin/reload", null);
    assertEquals(200, same.statusCode(), same.body());
    assertEquals("unchanged", JSON.readTree(same.body()).path("result").asText());

    // Stop the watcher's race: write a new content and ask at once (whichever reload comes
    // first applies it; the other finds it unchanged).
    String moved = config(one.baseUrl(), "m1", CONSUMER_B, "")
        .replace("port: 0, event_loops: 2", "port: 0, event_loops: 1");
    gw.rewrite(moved);
    HttpResponse<String> r = gw.admin("POST", "/admin/reload", null);
    assertEquals(200, r.statusCode(), r.body());
    await(() -> reloads("applied") == 1, "the reload");
    JsonNode answer = JSON.readTree(r.body());
    if (answer.path("result").asText().equals("applied")) {
      assertEquals("server.event_loops", answer.path("restart_required").path(0).asText(), r.body());
    }
    String audit = Files.readString(gw.dir.resolve("audit.jsonl"));
    assertTrue(audit.contains("restart_required=[server.event_loops]"), audit);
    assertEquals(200, gw.chat(KEY_B, "gpt-4o", false).statusCode());
  }

  @Test
  void storesSurviveAReloadAndAdminConsumersKeepTheirNames() throws Exception {
    assertEquals(200, gw.chat(KEY_A, "gpt-4o", false).statusCode());
    long usedBefore = JSON.readTree(gw.admin("GET", "/admin/consumers/team-a/usage", null).body())
        .path("usage").path("tokens_used_today").asLong();
    assertTrue(usedBefore > 0);
    HttpResponse<String> made = gw.admin("POST", "/admin/consumers", "{\"name\":\"made\",\"models\":[\"*\"]}");
    assertEquals(201, made.statusCode(), made.body());
    String madeKey = JSON.readTree(made.body()).path("issued_key").path("key").asText();

    gw.rewrite(config(two.baseUrl(), "m2", "", ""));
    await(() -> reloads("applied") == 1, "the reload");
    assertEquals(usedBefore, JSON.readTree(gw.admin("GET", "/admin/consumers/team-a/usage", null).body())
        .path("usage").path("tokens_used_today").asLong(), "quota usage survives the reload");
    assertEquals(200, gw.chat(madeKey, "gpt-4o", false).statusCode(), "admin-made consumers survive the reload");

    // A config that declares a consumer with an admin-made consumer's name is refused whole.
    gw.rewrite(config(two.baseUrl(), "m3", "  - {name: made, key_sha256: " + HASH_B + ", models: [\"*\"]}", ""));
    await(() -> reloads("refused") == 1, "the refusal");
    HttpResponse<String> still = gw.chat(KEY_A, "gpt-4o", false);
    assertEquals("m2", JSON.readTree(still.body()).path("model").asText(), "the previous config still serves");
    assertEquals(401, gw.chat(dev.palisade.gateway.testing.GatewayHarness.KEY_B, "gpt-4o", false).statusCode());
  }
}
