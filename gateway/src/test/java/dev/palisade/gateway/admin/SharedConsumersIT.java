package dev.palisade.gateway.admin;

import static dev.palisade.gateway.testing.GatewayHarness.HASH_A;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.gateway.consumer.ConsumerKeys;
import dev.palisade.gateway.consumer.ConsumerStoreException;
import dev.palisade.gateway.testing.FakeProvider;
import dev.palisade.gateway.testing.ServiceHarness;
import dev.palisade.gateway.testing.TestRedis;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three gateways as `serve` runs them (admin API included) on one real redis-server: consumers
 * and keys made through any replica's admin API work on every replica, revokes reach every
 * replica within the resync bound, and admin consumers survive a replica's restart.
 */
class SharedConsumersIT {

  static final ObjectMapper JSON = new ObjectMapper();
  /** Default {@code StateStores.Tuning} resync interval: the documented bound (pub/sub is faster). */
  static final Duration BOUND = Duration.ofSeconds(5);

  TestRedis redis;
  FakeProvider upstream;
  final List<ServiceHarness> replicas = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    redis = TestRedis.start();
    upstream = FakeProvider.start("shared-upstream");
    for (int i = 0; i < 3; i++) {
      replicas.add(replica());
    }
  }

  @AfterEach
  void stop() {
    replicas.forEach(ServiceHarness::close);
    upstream.close();
    redis.close();
  }

  ServiceHarness replica() throws Exception {
    return replica("");
  }

  /** A replica of the shared config, with {@code extraConsumer} (a YAML list item) if not empty. */
  ServiceHarness replica(String extraConsumer) throws Exception {
    return ServiceHarness.start("""
        server: {host: 127.0.0.1, port: 0, event_loops: 1}
        admin: {host: 127.0.0.1, port: 0, audit_log: "%%DIR%%/audit.jsonl"}
        lifecycle: {watch_config: false}
        providers:
          - name: upstream
            protocol: openai
            base_url: %s
            keys: [{id: u1, value: sk-shared-consumers-provider-key}]
        routes:
          - {match: "*", targets: [{provider: upstream}]}
        consumers:
          - {name: from-file, key_sha256: %s, models: ["*"]}
          %s
        state:
          store: redis://127.0.0.1:%d
          key_prefix: "sc:"
          on_unavailable: fail_open
        """.formatted(upstream.baseUrl(), HASH_A, extraConsumer, redis.port()),
        List.of(AdminTokens.hashed("env", ServiceHarness.ADMIN_TOKEN)));
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  static long within(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
    long started = System.nanoTime();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - started > bound.toNanos()) {
        throw new AssertionError("not within " + bound.toMillis() + " ms: " + what);
      }
      Thread.sleep(10);
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  int chat(int replica, String key) {
    return replicas.get(replica).chat(key, "gpt-4o", false).statusCode();
  }

  @Test
  void keysMadeOnOneReplicaWorkOnAllAndRevokesReachAll() throws Exception {
    ServiceHarness a = replicas.get(0);
    ServiceHarness b = replicas.get(1);
    HttpResponse<String> created = a.admin("POST", "/admin/consumers",
        "{\"name\":\"team-shared\",\"models\":[\"*\"],\"key_id\":\"first\"}");
    assertEquals(201, created.statusCode(), created.body());
    String key = json(created).path("issued_key").path("key").asText();
    long seen = within("the key made on A authenticates on B and C", BOUND, () -> chat(1, key) == 200 && chat(2, key) == 200);
    System.out.println("SharedConsumersIT: key created on A usable on B and C after " + seen + " ms");
    assertEquals(200, b.admin("GET", "/admin/consumers/team-shared", null).statusCode());

    // A second key made on B, the first one revoked on B: A refuses it within the bound.
    HttpResponse<String> second = b.admin("POST", "/admin/consumers/team-shared/keys", "{\"id\":\"second\"}");
    assertEquals(201, second.statusCode(), second.body());
    String key2 = json(second).path("key").asText();
    assertEquals(204, b.admin("DELETE", "/admin/consumers/team-shared/keys/first", null).statusCode());
    assertEquals(401, chat(1, key), "B refuses the key it revoked at once");
    long revoked = within("A refuses the key revoked on B", BOUND, () -> chat(0, key) == 401 && chat(2, key) == 401);
    System.out.println("SharedConsumersIT: key revoked on B refused on A and C after " + revoked + " ms");
    within("A accepts the key made on B", BOUND, () -> chat(0, key2) == 200);
    assertEquals(404, a.admin("DELETE", "/admin/consumers/team-shared/keys/first", null).statusCode(),
        "A's admin API sees the revoke too");

    // Config consumers are each replica's own and stay read-only; names cannot be taken from them.
    assertEquals(200, chat(2, KEY_A));
    assertEquals(409, a.admin("POST", "/admin/consumers", "{\"name\":\"from-file\",\"models\":[\"*\"]}").statusCode());
    assertEquals(409, b.admin("DELETE", "/admin/consumers/from-file", null).statusCode());

    // Only SHA-256 in Redis.
    String inRedis = redis.command("HGETALL", "sc:{consumers}:consumer:team-shared")
        + redis.command("HGETALL", "sc:{consumers}:key-index");
    assertFalse(inRedis.contains(key) || inRedis.contains(key2), "no gateway key in Redis");
    assertTrue(inRedis.contains(ConsumerKeys.sha256Hex(key2)));

    // A replica that restarts knows the admin consumers before it serves.
    replicas.get(0).close();
    replicas.set(0, replica());
    assertEquals(200, chat(0, key2), "a restarted replica knows the admin-made key");
    assertEquals(401, chat(0, key));

    // Deleting on C removes the consumer everywhere.
    assertEquals(204, replicas.get(2).admin("DELETE", "/admin/consumers/team-shared", null).statusCode());
    within("the deleted consumer's key is refused everywhere", BOUND,
        () -> chat(0, key2) == 401 && chat(1, key2) == 401 && chat(2, key2) == 401);
  }

  @Test
  void aReplicaWhoseConfigClashesWithAnAdminConsumerRefusesToStart() throws Exception {
    assertEquals(201, replicas.get(0).admin("POST", "/admin/consumers",
        "{\"name\":\"team-api\",\"models\":[\"*\"]}").statusCode());
    ConsumerStoreException e = org.junit.jupiter.api.Assertions.assertThrows(ConsumerStoreException.class,
        () -> replica("- {name: team-api, key_sha256: " + ConsumerKeys.sha256Hex("pgw-other") + ", models: [\"*\"]}"));
    assertEquals(ConsumerStoreException.Reason.CONFLICT, e.reason());
    assertTrue(e.getMessage().contains("team-api"), e.getMessage());
  }

  @Test
  void withRedisDownTheAdminApiAnswers503AndKnownKeysKeepWorking() throws Exception {
    ServiceHarness a = replicas.get(0);
    HttpResponse<String> created = a.admin("POST", "/admin/consumers", "{\"name\":\"before\",\"models\":[\"*\"]}");
    assertEquals(201, created.statusCode(), created.body());
    String key = json(created).path("issued_key").path("key").asText();
    within("B knows the key", BOUND, () -> chat(1, key) == 200);

    redis.kill();
    long started = System.nanoTime();
    HttpResponse<String> refused = replicas.get(1).admin("POST", "/admin/consumers",
        "{\"name\":\"during\",\"models\":[\"*\"]}");
    assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "no hang");
    assertEquals(503, refused.statusCode(), refused.body());
    assertEquals("store_unavailable", json(refused).path("error").path("code").asText(), refused.body());
    assertEquals(503, a.admin("DELETE", "/admin/consumers/before/keys/" + json(created).path("issued_key")
        .path("key_id").asText(), null).statusCode());
    assertEquals(200, chat(1, key), "known keys keep authenticating (fail_open quotas)");
    assertEquals(200, chat(2, key));

    redis.restart();
    within("admin writes work again", Duration.ofSeconds(10), () -> replicas.get(1).admin("POST",
        "/admin/consumers", "{\"name\":\"after\",\"models\":[\"*\"]}").statusCode() == 201);
    assertEquals(200, chat(0, key), "the consumer from before the outage is still there");
    within("the replicas wrote back the consumer Redis lost", BOUND, () -> {
      try {
        return redis.command("HGET", "sc:{consumers}:consumer:before", "data") != null;
      } catch (Exception e) {
        return false;
      }
    });
  }
}
