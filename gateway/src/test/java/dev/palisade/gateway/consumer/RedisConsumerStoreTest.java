package dev.palisade.gateway.consumer;

import static dev.palisade.gateway.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.gateway.config.ConsumerConfig;
import dev.palisade.gateway.consumer.ConsumerStoreException.Reason;
import dev.palisade.gateway.quota.Limits;
import dev.palisade.gateway.routing.ModelPattern;
import dev.palisade.gateway.state.RedisLink;
import dev.palisade.gateway.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Admin-made consumers shared through real Redis by stores that stand for separate replicas. */
class RedisConsumerStoreTest {

  static final Duration SLOW = Duration.ofMinutes(5); // resync too slow to matter: pub/sub only

  TestRedis redis;
  Vertx vertx;
  final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void start() {
    redis = TestRedis.start();
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    vertx.close().await();
    redis.close();
  }

  /** One replica: its own connection, its own view. */
  RedisConsumerStore replica(Duration resync) throws Exception {
    RedisLink link = redis.link(vertx, Duration.ofMillis(1000));
    open.add(link);
    RedisConsumerStore store = new RedisConsumerStore(link, "t:", resync);
    open.add(store);
    store.resync().await(5, TimeUnit.SECONDS);
    return store;
  }

  static StoredConsumer admin(String name, String... keys) {
    List<ConsumerKey> k = new ArrayList<>();
    for (int i = 0; i < keys.length; i++) {
      k.add(new ConsumerKey("k" + i, ConsumerKeys.sha256Hex(keys[i]), Instant.parse("2026-01-01T00:00:00Z")));
    }
    return new StoredConsumer(name, StoredConsumer.Origin.ADMIN, k, List.of(new ModelPattern("*")),
        new Limits(1000, Limits.UNLIMITED, 5, Limits.UNLIMITED));
  }

  static StoredConsumer withKey(StoredConsumer c, String id, String key) {
    List<ConsumerKey> keys = new ArrayList<>(c.keys());
    keys.add(new ConsumerKey(id, ConsumerKeys.sha256Hex(key), null));
    return c.withKeys(keys);
  }


  static Reason reasonOf(Future<?> f) {
    Throwable t = assertThrowsOn(f);
    return assertInstanceOf(ConsumerStoreException.class, t, String.valueOf(t)).reason();
  }

  static Throwable assertThrowsOn(Future<?> f) {
    try {
      f.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }

  boolean authenticates(ConsumerStore store, String key, String as) {
    return store.byKeyHash(ConsumerKeys.sha256Hex(key)).map(ConsumerConfig::name).equals(Optional.of(as));
  }

  @Test
  void aCreatedConsumerAndItsRevokeReachTheOtherReplicaWithListeners() throws Exception {
    RedisConsumerStore a = replica(SLOW);
    RedisConsumerStore b = replica(SLOW);
    List<ConsumerChange> seenByB = new CopyOnWriteArrayList<>();
    b.addListener(seenByB::add);
    Thread.sleep(300); // let the subscriptions take effect

    a.create(admin("team-x", "pgw-one")).await(5, TimeUnit.SECONDS);
    assertTrue(authenticates(a, "pgw-one", "team-x"), "the writer sees its write at once");
    eventually("b sees team-x", () -> authenticates(b, "pgw-one", "team-x"));
    assertEquals(admin("team-x", "pgw-one"), b.get("team-x").orElseThrow());
    assertEquals(ConsumerChange.Kind.CREATED, seenByB.get(0).kind());

    b.update("team-x", c -> withKey(c, "second", "pgw-two")).await(5, TimeUnit.SECONDS);
    b.update("team-x", c -> c.withKeys(c.keys().stream().filter(k -> !k.id().equals("k0")).toList()))
        .await(5, TimeUnit.SECONDS);
    eventually("a no longer accepts the revoked key", () -> a.byKeyHash(ConsumerKeys.sha256Hex("pgw-one")).isEmpty());
    eventually("a accepts the new key", () -> authenticates(a, "pgw-two", "team-x"));

    a.delete("team-x").await(5, TimeUnit.SECONDS);
    eventually("b forgets team-x", () -> b.get("team-x").isEmpty() && b.list().isEmpty());
    assertEquals(ConsumerChange.Kind.DELETED, seenByB.get(seenByB.size() - 1).kind());
    assertEquals(Reason.NOT_FOUND, reasonOf(b.delete("team-x")));
    assertEquals(Reason.NOT_FOUND, reasonOf(b.update("team-x", c -> c)));
  }

  @Test
  void concurrentUpdatesFromTwoReplicasLoseNothing() throws Exception {
    RedisConsumerStore a = replica(SLOW);
    RedisConsumerStore b = replica(SLOW);
    a.create(admin("shared")).await(5, TimeUnit.SECONDS);
    List<Future<StoredConsumer>> writes = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      writes.add(a.update("shared", withNewKey("a" + i)));
      writes.add(b.update("shared", withNewKey("b" + i)));
    }
    Future.all(writes).await(30, TimeUnit.SECONDS);
    eventually("both views hold all 24 keys", () ->
        a.get("shared").map(c -> c.keys().size()).orElse(0) == 24
            && b.get("shared").map(c -> c.keys().size()).orElse(0) == 24);
    for (int i = 0; i < 12; i++) {
      assertTrue(authenticates(a, "key-b" + i, "shared"));
      assertTrue(authenticates(b, "key-a" + i, "shared"));
    }
    assertEquals(a.get("shared"), b.get("shared"));
  }

  static java.util.function.UnaryOperator<StoredConsumer> withNewKey(String id) {
    return c -> withKey(c, id, "key-" + id);
  }

  @Test
  void namesAndKeyHashesAreUniqueAcrossReplicas() throws Exception {
    RedisConsumerStore a = replica(SLOW);
    RedisConsumerStore b = replica(SLOW);
    // b has not seen a's consumer yet when it tries: Redis, not the view, decides.
    Future<StoredConsumer> first = a.create(admin("dup", "pgw-dup"));
    Future<StoredConsumer> second = b.create(admin("dup", "pgw-other"));
    List<Boolean> ok = new ArrayList<>();
    for (Future<StoredConsumer> f : List.of(first, second)) {
      try {
        f.await(5, TimeUnit.SECONDS);
        ok.add(true);
      } catch (ConsumerStoreException e) {
        assertEquals(Reason.CONFLICT, e.reason());
        ok.add(false);
      }
    }
    assertEquals(1, ok.stream().filter(x -> x).count(), "exactly one create wins: " + ok);
    assertEquals(Reason.CONFLICT, reasonOf(b.create(admin("other", "pgw-dup", "pgw-other"))),
        "a key hash held by another consumer is refused");
    Throwable t = assertThrowsOn(b.create(admin("other", "pgw-dup", "pgw-other")));
    assertFalse(t.getMessage().contains("pgw-") || t.getMessage().contains(ConsumerKeys.sha256Hex("pgw-dup")),
        "neither the key nor its hash is in the message: " + t.getMessage());
  }

  @Test
  void configConsumersStayLocalAndClashesAreRefused() throws Exception {
    RedisConsumerStore a = replica(SLOW);
    RedisConsumerStore b = replica(SLOW);
    ConsumerConfig cfg = new ConsumerConfig("from-file", ConsumerKeys.sha256Hex("pgw-file"),
        List.of(new ModelPattern("*")), Limits.NONE);
    a.seed(List.of(cfg)).await();
    List<ConsumerChange> fired = new CopyOnWriteArrayList<>();
    a.addListener(fired::add);
    a.seed(List.of(cfg)).await();
    assertTrue(fired.isEmpty(), "seeding the same config again changes nothing");
    assertTrue(authenticates(a, "pgw-file", "from-file"));
    assertEquals("0", String.valueOf(redis.command("SCARD", "t:{consumers}:names")), "config consumers are not in Redis");
    assertTrue(b.get("from-file").isEmpty(), "each replica's config is its own");

    assertEquals(Reason.READ_ONLY, reasonOf(a.update("from-file", c -> c)));
    assertEquals(Reason.READ_ONLY, reasonOf(a.delete("from-file")));
    assertEquals(Reason.CONFLICT, reasonOf(a.create(admin("from-file"))));
    assertEquals(Reason.CONFLICT, reasonOf(a.create(admin("sneaky", "pgw-file"))));

    b.create(admin("made-on-b", "pgw-b")).await(5, TimeUnit.SECONDS);
    eventually("a sees made-on-b", () -> a.get("made-on-b").isPresent());
    ConsumerConfig clash = new ConsumerConfig("made-on-b", ConsumerKeys.sha256Hex("pgw-unrelated"), List.of(new ModelPattern("*")), Limits.NONE);
    assertEquals(1, a.seedConflicts(List.of(cfg, clash)).size());
    assertEquals(Reason.CONFLICT, reasonOf(a.seed(List.of(cfg, clash))));
    assertTrue(authenticates(a, "pgw-file", "from-file"), "a refused seed changes nothing");
  }

  @Test
  void aMissedMessageIsRepairedByTheResync() throws Exception {
    RedisConsumerStore a = replica(Duration.ofMillis(300));
    RedisConsumerStore b = replica(SLOW);
    b.create(admin("quiet", "pgw-quiet")).await(5, TimeUnit.SECONDS);
    eventually("a sees quiet", () -> authenticates(a, "pgw-quiet", "quiet"));
    // A revoke whose message nobody hears: the write script run with another channel.
    String version = redis.command("HGET", "t:{consumers}:consumer:quiet", "version");
    String json = StoredConsumerJson.encode(admin("quiet"));
    redis.command("EVALSHA", RedisConsumerStore.WRITE.sha1(), "5", "t:{consumers}:consumer:quiet",
        "t:{consumers}:key-index", "t:{consumers}:names", "t:{consumers}:version", "t:{consumers}:epoch",
        "quiet", version, json, "", "nobody-listens", "test", "unused-epoch");
    Thread.sleep(200);
    assertTrue(authenticates(b, "pgw-quiet", "quiet"), "b (no resync for minutes) missed it");
    eventually("a's resync drops the revoked key", () -> a.byKeyHash(ConsumerKeys.sha256Hex("pgw-quiet")).isEmpty());
    // The subscriber connection is killed: the resync reconnects it and catches up.
    redis.command("CLIENT", "KILL", "TYPE", "pubsub");
    b.create(admin("after-kill", "pgw-after")).await(5, TimeUnit.SECONDS);
    eventually("a sees a consumer created while it was resubscribing", () -> authenticates(a, "pgw-after", "after-kill"));
  }

  @Test
  void aRestartedReplicaKnowsTheAdminConsumers() throws Exception {
    RedisConsumerStore a = replica(SLOW);
    a.create(admin("durable", "pgw-durable")).await(5, TimeUnit.SECONDS);
    for (AutoCloseable c : List.copyOf(open)) {
      c.close();
    }
    open.clear();
    RedisConsumerStore restarted = replica(SLOW);
    assertTrue(authenticates(restarted, "pgw-durable", "durable"), "loaded before it serves");
    assertEquals(admin("durable", "pgw-durable"), restarted.get("durable").orElseThrow());
    String everything = redis.command("HGETALL", "t:{consumers}:consumer:durable")
        + redis.command("HGETALL", "t:{consumers}:key-index");
    assertFalse(everything.contains("pgw-durable"), "only the key's SHA-256 is in Redis");
    assertTrue(everything.contains(ConsumerKeys.sha256Hex("pgw-durable")));
  }

  @Test
  void withRedisDownReadsAreServedAndWritesFailFastThenRecover() throws Exception {
    RedisConsumerStore a = replica(Duration.ofMillis(300));
    RedisConsumerStore b = replica(Duration.ofMillis(300));
    a.create(admin("kept", "pgw-kept")).await(5, TimeUnit.SECONDS);
    eventually("b sees kept", () -> authenticates(b, "pgw-kept", "kept"));

    redis.kill();
    long started = System.nanoTime();
    assertEquals(Reason.UNAVAILABLE, reasonOf(a.create(admin("new", "pgw-new"))));
    assertEquals(Reason.UNAVAILABLE, reasonOf(b.update("kept", c -> c)));
    assertEquals(Reason.UNAVAILABLE, reasonOf(b.delete("kept")));
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(4), "no hang");
    Throwable t = assertThrowsOn(a.create(admin("new", "pgw-new")));
    assertTrue(t.getMessage().contains("unavailable"), t.getMessage());
    assertTrue(authenticates(a, "pgw-kept", "kept"), "reads keep serving the view");
    assertTrue(authenticates(b, "pgw-kept", "kept"));

    // Back empty (no persistence): the replicas write back what they knew, writes work again.
    redis.restart();
    eventually("writes succeed again (a write first: it must not hide the loss)", () -> {
      try {
        a.create(admin("new", "pgw-new")).await(5, TimeUnit.SECONDS);
        return true;
      } catch (Exception e) {
        return false;
      }
    });
    eventually("kept is back in Redis", () -> {
      try {
        return redis.command("HGET", "t:{consumers}:consumer:kept", "data") != null;
      } catch (Exception e) {
        return false;
      }
    });
    assertTrue(authenticates(a, "pgw-kept", "kept"));
    assertTrue(authenticates(b, "pgw-kept", "kept"));
    eventually("b sees the write made after recovery", () -> authenticates(b, "pgw-new", "new"));
    b.update("kept", c -> withKey(c, "extra", "pgw-extra")).await(5, TimeUnit.SECONDS);
    eventually("a sees b's update after recovery", () -> authenticates(a, "pgw-extra", "kept"));
  }
}
