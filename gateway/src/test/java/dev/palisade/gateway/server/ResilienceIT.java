package dev.palisade.gateway.server;

import static dev.palisade.gateway.server.ProxyIT.assertError;
import static dev.palisade.gateway.testing.GatewayHarness.HASH_A;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.gateway.keypool.KeyPool;
import dev.palisade.gateway.keypool.KeyStatus;
import dev.palisade.gateway.testing.FakeProvider;
import dev.palisade.gateway.testing.GatewayHarness;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Key pool block/cooldown/restore and fallback before and after the first byte. */
class ResilienceIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  static final String STREAM =
      "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  FakeProvider main;
  FakeProvider backup;
  GatewayHarness gateway;
  int deadPort;

  @BeforeEach
  void start() throws Exception {
    main = FakeProvider.start("main");
    backup = FakeProvider.start("backup");
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort(); // closed again: connecting there is refused
    }
    gateway = GatewayHarness.start("""
        server: {host: 127.0.0.1, port: 0, event_loops: 2}
        providers:
          - name: main
            protocol: openai
            base_url: %s
            first_byte_timeout: 400ms
            keys:
              - {id: a1, value: sk-main-one}
              - {id: a2, value: sk-main-two}
            key_pool: {cooldown: 0ms, block_after_failures: 3, block_duration: 5m, probe_interval: 100ms}
          - name: backup
            protocol: openai
            base_url: %s
            keys:
              - {id: b1, value: sk-backup-one}
          - name: dead
            protocol: openai
            base_url: http://127.0.0.1:%d/v1
            connect_timeout: 1s
            keys:
              - {id: d1, value: sk-dead-one}
        routes:
          - match: gpt-4o
            targets: [{provider: main, model: main-model}]
            fallbacks: [{provider: backup, model: backup-model}]
          - match: dead-model
            targets: [{provider: dead}]
            fallbacks: [{provider: backup, model: backup-model}]
        consumers:
          - {name: team-a, key_sha256: %s, models: ["*"]}
        """.formatted(main.baseUrl(), backup.baseUrl(), deadPort, HASH_A));
  }

  @AfterEach
  void stop() {
    gateway.close();
    main.close();
    backup.close();
  }

  KeyPool mainPool() {
    return gateway.runtime().keyPool("main");
  }

  @Test
  void rateLimitedKeyRestsForRetryAfterWhileTheOtherKeyServes() throws Exception {
    main.respond(r -> "sk-main-one".equals(r.apiKey())
        ? new FakeProvider.Error(429, "Rate limit reached", "1") : FakeProvider.OK);
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A, CHAT);
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("Hello from main"), "the other key of the same provider serves");
    }
    assertEquals(KeyStatus.COOLING_DOWN, mainPool().status("a1"));
    long a1Calls = keyCalls(main, "sk-main-one");
    assertEquals(1, a1Calls, "a1 was tried once");
    for (int i = 0; i < 3; i++) {
      assertEquals(200, gateway.post("/v1/chat/completions", KEY_A, CHAT).statusCode());
    }
    // Cooldown is 0ms in the config, so only Retry-After (1 s) can have kept a1 out.
    assertEquals(a1Calls, keyCalls(main, "sk-main-one"), "a cooling key gets no traffic");
    awaitTrue(() -> mainPool().status("a1") == KeyStatus.AVAILABLE, 6000, "a1 restored after Retry-After");
    main.respond(r -> FakeProvider.OK);
    for (int i = 0; i < 4; i++) {
      gateway.post("/v1/chat/completions", KEY_A, CHAT);
    }
    assertTrue(keyCalls(main, "sk-main-one") > a1Calls, "a1 serves again");
    String metrics = gateway.get("/metrics", null).body();
    assertTrue(metrics.contains("gateway_key_state_changes_total{provider=\"main\",key_id=\"a1\",state=\"cooling_down\"} 1"), metrics);
    assertTrue(metrics.contains("gateway_upstream_responses_total{provider=\"main\",status=\"429\"} 1"), metrics);
  }

  @Test
  void rejectedKeyIsBlockedUntilAProbeSucceeds() throws Exception {
    AtomicBoolean revoked = new AtomicBoolean(true);
    main.respond(r -> revoked.get() && "sk-main-one".equals(r.apiKey())
        ? new FakeProvider.Error(401, "Incorrect API key provided", null) : FakeProvider.OK);
    for (int i = 0; i < 4; i++) {
      assertEquals(200, gateway.post("/v1/chat/completions", KEY_A, CHAT).statusCode());
    }
    assertEquals(KeyStatus.BLOCKED, mainPool().status("a1"));
    long chatCallsWithA1 = main.received("/v1/chat/completions").stream()
        .filter(r -> "sk-main-one".equals(r.apiKey())).count();
    assertEquals(1, chatCallsWithA1, "a blocked key gets no client traffic");
    // Probes keep failing while the key is revoked, so it stays blocked.
    awaitTrue(() -> main.received("/v1/models").size() >= 2, 5000, "probes run");
    assertEquals(KeyStatus.BLOCKED, mainPool().status("a1"));
    revoked.set(false);
    awaitTrue(() -> mainPool().status("a1") == KeyStatus.AVAILABLE, 5000, "a good probe restores the key");
    assertTrue(main.received("/v1/models").stream().allMatch(r -> "sk-main-one".equals(r.apiKey())),
        "only the blocked key is probed");
  }

  @Test
  void repeatedServerErrorsBlockKeysAndTheFallbackServes() throws Exception {
    main.respond(r -> new FakeProvider.Error(500, "The server had an error", null));
    for (int i = 0; i < 7; i++) {
      HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A, CHAT);
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("Hello from backup model backup-model.", JSON.readTree(r.body()).at("/choices/0/message/content").asText());
    }
    assertEquals(KeyStatus.BLOCKED, mainPool().status("a1"));
    assertEquals(KeyStatus.BLOCKED, mainPool().status("a2"));
    assertEquals(6, main.received("/v1/chat/completions").size(), "3 failures per key, then no more traffic");
    String metrics = gateway.get("/metrics", null).body();
    assertTrue(metrics.contains("gateway_fallbacks_total{route=\"gpt-4o\",from_provider=\"main\",reason=\"500\"} 6"), metrics);
    assertTrue(metrics.contains("gateway_fallbacks_total{route=\"gpt-4o\",from_provider=\"main\",reason=\"no_available_key\"} 1"), metrics);
  }

  @Test
  void slowFirstByteTimesOutAndFallsBack() throws Exception {
    main.respond(r -> FakeProvider.slow(3000));
    HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A, CHAT);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("Hello from backup"), r.body());
    assertTrue(gateway.get("/metrics", null).body()
        .contains("gateway_upstream_responses_total{provider=\"main\",status=\"timeout\"} 1"));
  }

  @Test
  void slowStreamBeforeFirstEventFallsBackToo() throws Exception {
    main.respond(r -> FakeProvider.slow(3000));
    HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A, STREAM);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("backup"), r.body());
    assertTrue(r.body().endsWith("data: [DONE]\n\n"), r.body());
  }

  @Test
  void connectErrorFallsBack() throws Exception {
    HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A,
        "{\"model\":\"dead-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("Hello from backup"), r.body());
    assertTrue(gateway.get("/metrics", null).body()
        .contains("gateway_fallbacks_total{route=\"dead-model\",from_provider=\"dead\",reason=\"connect_error\"} 1"));
  }

  @Test
  void streamCutBeforeTheFirstEventFallsBack() throws Exception {
    main.respond(r -> new FakeProvider.CutStream(0));
    HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A, STREAM);
    assertEquals(200, r.statusCode(), r.body());
    List<String> data = GatewayHarness.sseData(r.body());
    assertEquals("[DONE]", data.get(data.size() - 1));
    assertTrue(r.body().contains("backup"), r.body());
  }

  @Test
  void streamCutAfterTheFirstByteEndsWithAnErrorEventAndNoSwitch() throws Exception {
    main.respond(r -> new FakeProvider.CutStream(3));
    HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A, STREAM);
    assertEquals(200, r.statusCode(), r.body());
    List<String> data = GatewayHarness.sseData(r.body());
    assertTrue(data.size() >= 2, r.body());
    assertFalse(data.contains("[DONE]"), "an interrupted stream must not look complete");
    JsonNode last = JSON.readTree(data.get(data.size() - 1));
    assertEquals("stream_interrupted", last.at("/error/code").asText(), r.body());
    assertTrue(JSON.readTree(data.get(0)).has("choices"), "real chunks came first");
    assertEquals(0, backup.received().size(), "no silent switch once the stream has started");
  }

  @Test
  void whenEveryTargetFailsTheClientGetsAClearErrorWithoutSecrets() throws Exception {
    main.respond(r -> new FakeProvider.Error(503, "overloaded; key sk-main-one", null));
    backup.respond(r -> new FakeProvider.Error(502, "bad gateway for sk-backup-one", null));
    HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A, CHAT);
    assertError(r, 502, "upstream_unavailable");
    assertFalse(r.body().contains("sk-"), r.body());
    main.respond(r2 -> new FakeProvider.Error(429, "slow down", "7"));
    backup.respond(r2 -> new FakeProvider.Error(429, "slow down", "7"));
    HttpResponse<String> limited = gateway.post("/v1/chat/completions", KEY_A, CHAT);
    assertError(limited, 429, "upstream_rate_limited");
    assertEquals("7", limited.headers().firstValue("retry-after").orElseThrow());
  }

  private static long keyCalls(FakeProvider p, String key) {
    return p.received("/v1/chat/completions").stream().filter(r -> key.equals(r.apiKey())).count();
  }

  static void awaitTrue(BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }
}
