package dev.palisade.gateway.state;

import static dev.palisade.gateway.testing.Eventually.eventually;
import static dev.palisade.gateway.testing.GatewayHarness.HASH_A;
import static dev.palisade.gateway.testing.GatewayHarness.HASH_B;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_A;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.gateway.config.ConfigLoader;
import dev.palisade.gateway.config.SecretResolver;
import dev.palisade.gateway.config.StateConfig;
import dev.palisade.gateway.keypool.KeyStatus;
import dev.palisade.gateway.quota.LeasedQuotaStore;
import dev.palisade.gateway.stream.TokenEstimator;
import dev.palisade.gateway.testing.FakeProvider;
import dev.palisade.gateway.testing.GatewayHarness;
import dev.palisade.gateway.testing.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three gateway instances (each its own server, Vert.x and Redis connection) sharing Debian's
 * real redis-server: quotas hold across them, a blocked key is skipped by all, and a Redis that
 * dies and comes back degrades as on_unavailable says, without taking a gateway down.
 */
class SharedStateIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY_ONE = "sk-key-one-of-main";
  static final String KEY_TWO = "sk-key-two-of-main";
  /** Blocks of quota leased per replica: at most this many tokens (see LeasedQuotaStore). */
  static final long LEASE_TOKENS = 200;
  static final StateStores.Tuning FAST = new StateStores.Tuning(
      Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofMinutes(1),
      new LeasedQuotaStore.Settings(LEASE_TOKENS, 1_000, Duration.ofMillis(200)));

  TestRedis redis;
  FakeProvider upstream;
  final List<GatewayHarness> gateways = new ArrayList<>();
  final List<StateStores> stores = new ArrayList<>();
  final AtomicBoolean rejectKeyOne = new AtomicBoolean();

  @BeforeEach
  void start() {
    redis = TestRedis.start();
    upstream = FakeProvider.start("main");
    upstream.respond(r -> rejectKeyOne.get() && KEY_ONE.equals(r.apiKey())
        ? new FakeProvider.Error(401, "Incorrect API key provided", null)
        : FakeProvider.OK);
  }

  @AfterEach
  void stop() {
    gateways.forEach(GatewayHarness::close);
    stores.forEach(StateStores::close);
    upstream.close();
    redis.close();
  }

  String yaml(long dayLimit, String onUnavailable) {
    return """
        server: {host: 127.0.0.1, port: 0, event_loops: 1}
        providers:
          - name: main
            protocol: openai
            base_url: %s
            keys: [{id: k1, value: %s}, {id: k2, value: %s}]
            key_pool: {probe_interval: 300ms}
        routes:
          - match: m
            targets: [{provider: main}]
        consumers:
          - name: limited
            key_sha256: %s
            models: ["*"]
            limits: {tokens_per_day: %d}
          - name: free
            key_sha256: %s
            models: ["*"]
        state:
          store: redis://127.0.0.1:%d
          key_prefix: "it:"
          on_unavailable: %s
        """.formatted(upstream.baseUrl(), KEY_ONE, KEY_TWO, HASH_A, dayLimit, HASH_B, redis.port(),
        onUnavailable);
  }

  /** Three replicas, each with the state stores `serve` would build from the same config. */
  void startReplicas(String yaml) throws Exception {
    Path file = Files.createTempFile("gateway-", ".yaml");
    try {
      Files.writeString(file, yaml);
      SecretResolver secrets = new SecretResolver(Optional.empty(), true);
      StateConfig state = new ConfigLoader(secrets).load(file).state();
      for (int i = 0; i < 3; i++) {
        StateStores s = StateStores.open(state, Clock.systemUTC(), FAST);
        stores.add(s);
        gateways.add(GatewayHarness.start(yaml, secrets, s));
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  static String chat(int maxTokens) {
    return "{\"model\":\"m\",\"max_tokens\":" + maxTokens + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }


  KeyStatus status(int replica, String keyId) {
    return gateways.get(replica).runtime().keyPool("main").status(keyId);
  }

  @Test
  void aThousandConcurrentRequestsOnThreeReplicasNeverOverspendBeyondTheReservationsInFlight()
      throws Exception {
    long limit = 5_000;
    startReplicas(yaml(limit, "fail_closed"));
    String body = chat(1);
    // Each request reserves its input estimate plus max_tokens; the fake then reports more
    // (11 prompt + 5 completion tokens). Only such an excess can push usage past the limit, and
    // only for reservations granted before the limit was reached and settled after.
    long reserved = TokenEstimator.chatInput(JSON.readTree(body)) + 1;
    long actual = FakeProvider.PROMPT_TOKENS + 5;
    long excess = actual - reserved;
    assertTrue(excess > 0, "the test needs requests that use more than they reserve");

    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      HttpRequest request = HttpRequest.newBuilder(
              URI.create(gateways.get(i % 3).baseUrl() + "/v1/chat/completions"))
          .timeout(Duration.ofSeconds(60))
          .header("authorization", "Bearer " + KEY_A)
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      calls.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
          .whenComplete((r, e) -> inFlight.decrementAndGet()));
    }
    long billed = 0;
    int granted = 0;
    int refused = 0;
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> r = call.get(90, TimeUnit.SECONDS);
      JsonNode json = JSON.readTree(r.body());
      if (r.statusCode() == 200) {
        granted++;
        billed += json.at("/usage/total_tokens").asLong(); // the fake provider's own report
      } else {
        assertEquals(429, r.statusCode(), r.body());
        assertEquals("insufficient_quota", json.at("/error/code").asText());
        refused++;
      }
    }
    assertEquals(1000, granted + refused);
    assertEquals(granted, upstream.received("/v1/chat/completions").size());
    assertEquals(granted * actual, billed);
    // The bound: usage passes the limit only by the excess of the reservations in flight when
    // the last one was granted. Those are at most the requests the client had open at once, and
    // at most limit / reserved (reservations alone never exceed the limit).
    long inFlightBound = Math.min(maxInFlight.get(), limit / reserved);
    long bound = limit + inFlightBound * excess;
    assertTrue(billed <= bound, "billed " + billed + " > " + bound);
    // And the quota was really used: a refusal means usage + reservations + this one > limit,
    // and every reservation settled for at least what it held. Reservations include the blocks
    // the other two replicas leased and had not spent yet: at most 1.5 blocks each.
    long leasedUnused = 2 * (LEASE_TOKENS * 3 / 2);
    assertTrue(billed > limit - reserved - leasedUnused, "billed " + billed + " leaves the quota unused");
    assertTrue(refused > 0);
    System.out.printf("quota on 3 replicas: limit %d, granted %d, refused %d, billed %d (%+d),"
            + " bound %d (min(max in flight %d, limit/reserved %d) x excess %d)%n", limit, granted,
        refused, billed, billed - limit, bound, maxInFlight.get(), limit / reserved, excess);

    // Redis agrees with the provider's usage, and every reservation was settled: the replicas'
    // leased blocks were flushed (idle blocks go back within a few flush intervals) and their
    // unused tokens given back, so nothing stays reserved.
    String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    String expected = billed + "\n0";
    eventually("all settled in Redis", Duration.ofSeconds(5), () -> {
      try {
        return expected.equals(redis.command("HMGET", "it:quota:{limited}:day:" + day, "used", "reserved"))
            && "0".equals(redis.command("HLEN", "it:quota:{limited}:leases"));
      } catch (Exception e) {
        return false;
      }
    });
    assertEquals("0", redis.command("HLEN", "it:quota:{limited}:leases"));
    // Every replica now refuses, whichever it is.
    for (GatewayHarness g : gateways) {
      assertEquals(429, g.post("/v1/chat/completions", KEY_A, body).statusCode());
    }
  }

  @Test
  void aKeyBlockedByOneReplicaIsSkippedByTheOthersAndItsRestoreIsSeenByAll() throws Exception {
    startReplicas(yaml(1_000_000, "fail_closed"));
    for (int r = 0; r < 3; r++) {
      assertEquals(KeyStatus.AVAILABLE, status(r, "k1"));
    }
    rejectKeyOne.set(true);
    // Round robin: within two requests replica 0 tries k1, gets 401, blocks it, retries on k2.
    for (int i = 0; i < 2; i++) {
      assertEquals(200, gateways.get(0).post("/v1/chat/completions", KEY_B, chat(5)).statusCode());
    }
    assertEquals(KeyStatus.BLOCKED, status(0, "k1"));
    eventually("replicas 1 and 2 see the block", Duration.ofSeconds(3),
        () -> status(1, "k1") == KeyStatus.BLOCKED && status(2, "k1") == KeyStatus.BLOCKED);
    int before = chatsWith(KEY_ONE);
    for (int i = 0; i < 10; i++) {
      assertEquals(200, gateways.get(1 + i % 2).post("/v1/chat/completions", KEY_B, chat(5)).statusCode());
    }
    assertEquals(before, chatsWith(KEY_ONE), "replicas 1 and 2 sent nothing with the blocked key");

    // The provider accepts the key again: a probe (by any replica) restores it, for all.
    rejectKeyOne.set(false);
    eventually("every replica sees k1 restored", Duration.ofSeconds(10),
        () -> status(0, "k1") == KeyStatus.AVAILABLE && status(1, "k1") == KeyStatus.AVAILABLE
            && status(2, "k1") == KeyStatus.AVAILABLE);
    for (int i = 0; i < 4; i++) {
      assertEquals(200, gateways.get(1 + i % 2).post("/v1/chat/completions", KEY_B, chat(5)).statusCode());
    }
    assertTrue(chatsWith(KEY_ONE) > before, "the restored key is used again");
  }

  int chatsWith(String apiKey) {
    return (int) upstream.received("/v1/chat/completions").stream().filter(r -> apiKey.equals(r.apiKey())).count();
  }

  /**
   * While Redis is down a replica still spends the block of quota it had leased (documented in
   * LeasedQuotaStore), then behaves as on_unavailable says. Each request reserves at least a
   * token, so that takes at most LEASE_TOKENS requests. Returns the first answer not served from
   * the block (a fail_open replica's first local one is a 200 too: told apart by the metric).
   */
  HttpResponse<String> spendWhatWasLeased(GatewayHarness g, String apiKey, String body) throws Exception {
    for (int i = 0; i <= LEASE_TOKENS; i++) {
      HttpResponse<String> r = g.post("/v1/chat/completions", apiKey, body);
      if (r.statusCode() != 200
          || g.get("/metrics", null).body().contains("gateway_state_store_local_fallback{store=\"redis\"} 1")) {
        return r;
      }
    }
    throw new AssertionError("a replica served more than its leased block while Redis was down");
  }

  @Test
  void failClosedAnswers503WhileRedisIsDownAndRecovers() throws Exception {
    startReplicas(yaml(1_000_000, "fail_closed"));
    for (GatewayHarness g : gateways) {
      assertEquals(200, g.post("/v1/chat/completions", KEY_B, chat(5)).statusCode());
    }
    redis.kill();
    for (GatewayHarness g : gateways) {
      spendWhatWasLeased(g, KEY_B, chat(5));
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        HttpResponse<String> r = g.post("/v1/chat/completions", KEY_B, chat(5));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, r.statusCode(), r.body());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals("state_store_unavailable", error.path("code").asText());
        assertEquals("service_unavailable", error.path("type").asText());
        assertFalse(r.body().contains(String.valueOf(redis.port())), "no Redis address in client errors");
        assertTrue(ms < 3000, "a 503 must not wait long: " + ms + " ms");
      }
      assertEquals(200, g.get("/healthz", null).statusCode(), "the gateway itself is up");
      assertTrue(g.get("/metrics", null).body().contains("gateway_state_store_up{store=\"redis\"} 0"));
    }
    redis.restart();
    for (GatewayHarness g : gateways) {
      eventually("recovers after Redis is back", Duration.ofSeconds(10),
          () -> g.post("/v1/chat/completions", KEY_B, chat(5)).statusCode() == 200);
      assertTrue(g.get("/metrics", null).body().contains("gateway_state_store_up{store=\"redis\"} 1"));
    }
  }

  @Test
  void failOpenKeepsServingWhileRedisIsDownThenResyncs() throws Exception {
    startReplicas(yaml(1_000_000, "fail_open"));
    for (GatewayHarness g : gateways) {
      assertEquals(200, g.post("/v1/chat/completions", KEY_A, chat(5)).statusCode());
    }
    redis.kill();
    for (GatewayHarness g : gateways) {
      assertEquals(200, spendWhatWasLeased(g, KEY_A, chat(5)).statusCode());
      for (int i = 0; i < 3; i++) {
        assertEquals(200, g.post("/v1/chat/completions", KEY_A, chat(5)).statusCode());
      }
      String metrics = g.get("/metrics", null).body();
      assertTrue(metrics.contains("gateway_state_store_up{store=\"redis\"} 0"));
      assertTrue(metrics.contains("gateway_state_store_local_fallback{store=\"redis\"} 1"));
    }
    // A key blocked while Redis is down is blocked locally at once ...
    rejectKeyOne.set(true);
    for (int i = 0; i < 2; i++) {
      assertEquals(200, gateways.get(0).post("/v1/chat/completions", KEY_A, chat(5)).statusCode());
    }
    assertEquals(KeyStatus.BLOCKED, status(0, "k1"));
    // ... and reaches the other replicas once Redis is back (written then, re-read by all).
    redis.restart();
    eventually("replicas 1 and 2 learn the block made during the outage", Duration.ofSeconds(10),
        () -> status(1, "k1") == KeyStatus.BLOCKED && status(2, "k1") == KeyStatus.BLOCKED);
    // Quotas are counted in Redis again.
    String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    for (GatewayHarness g : gateways) {
      eventually("quotas back on Redis", Duration.ofSeconds(10), () -> {
        g.post("/v1/chat/completions", KEY_A, chat(5));
        return g.get("/metrics", null).body().contains("gateway_state_store_local_fallback{store=\"redis\"} 0");
      });
      assertTrue(g.get("/metrics", null).body().contains("gateway_state_store_up{store=\"redis\"} 1"));
    }
    // Leased usage reaches Redis within a flush interval.
    eventually("usage counted in Redis again", Duration.ofSeconds(5), () -> {
      try {
        String used = redis.command("HGET", "it:quota:{limited}:day:" + day, "used");
        return used != null && !used.isEmpty() && Long.parseLong(used) > 0;
      } catch (java.io.IOException e) {
        return false;
      }
    });
  }
}
