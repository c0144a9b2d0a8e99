package dev.palisade.gateway.keypool;

import static dev.palisade.gateway.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.gateway.state.RedisLink;
import dev.palisade.gateway.testing.TestRedis;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Key health shared through real Redis by stores that stand for separate replicas. */
class RedisKeyStateStoreTest {

  static final KeyState BLOCKED_401 = new KeyState(KeyStatus.BLOCKED, Instant.MAX, 1, "upstream answered 401");

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

  /** One replica: its own connection, its own mirror. */
  RedisKeyStateStore replica(Duration resync) {
    RedisLink link = redis.link(vertx, Duration.ofMillis(1500));
    open.add(link);
    RedisKeyStateStore store = new RedisKeyStateStore(link, "t:", Clock.systemUTC(), resync);
    open.add(store);
    return store;
  }


  @Test
  void aBlockAndItsRestoreReachEveryReplica() throws Exception {
    RedisKeyStateStore a = replica(Duration.ofMinutes(5));
    RedisKeyStateStore b = replica(Duration.ofMinutes(5)); // resync too slow to matter: pub/sub
    RedisKeyStateStore c = replica(Duration.ofMinutes(5));
    assertEquals(KeyState.HEALTHY, b.get("p", "k1"));
    assertEquals(KeyState.HEALTHY, c.get("p", "k1"));
    Thread.sleep(300); // let the subscriptions take effect
    a.update("p", "k1", s -> BLOCKED_401);
    eventually("b and c see the block", () ->
        b.get("p", "k1").equals(BLOCKED_401) && c.get("p", "k1").equals(BLOCKED_401));
    assertEquals("-1", redis.command("PTTL", "t:keystate:p:k1"), "a 401 block waits for a probe, no expiry");
    b.update("p", "k1", s -> KeyState.HEALTHY);
    eventually("a and c see the restore", () ->
        a.get("p", "k1").equals(KeyState.HEALTHY) && c.get("p", "k1").equals(KeyState.HEALTHY));
    assertNull(redis.command("GET", "t:keystate:p:k1"), "a healthy key has no record");
  }

  @Test
  void aCooldownExpiresInRedisByItself() throws Exception {
    RedisKeyStateStore a = replica(Duration.ofMinutes(5));
    Instant until = Instant.now().plusSeconds(30);
    a.update("p", "k2", s -> new KeyState(KeyStatus.COOLING_DOWN, until, 1, "429"));
    eventually("written", () -> {
      try {
        return redis.command("GET", "t:keystate:p:k2") != null;
      } catch (Exception e) {
        return false;
      }
    });
    long ttl = Long.parseLong(redis.command("PTTL", "t:keystate:p:k2"));
    long expected = Duration.ofSeconds(30).plus(RedisKeyStateStore.RETAIN).toMillis();
    assertTrue(ttl > expected - 5000 && ttl <= expected, "ttl " + ttl);
    assertEquals("COOLING_DOWN|" + until.toEpochMilli() + "|1|429", redis.command("GET", "t:keystate:p:k2"));
  }

  @Test
  void theResyncRepairsAMissedMessage() throws Exception {
    RedisKeyStateStore b = replica(Duration.ofMillis(200));
    assertEquals(KeyState.HEALTHY, b.get("p", "k3"));
    // Written behind the replica's back, with no message: only the periodic re-read can see it.
    redis.command("SET", "t:keystate:p:k3", KeyStateCodec.encode(BLOCKED_401));
    eventually("the resync picks the block up", () -> b.get("p", "k3").equals(BLOCKED_401));
    redis.command("DEL", "t:keystate:p:k3");
    eventually("and the restore", () -> b.get("p", "k3").equals(KeyState.HEALTHY));
  }

  @Test
  void aRestartedReplicaKeepsTheBlockAndARestartedRedisGetsItBack() throws Exception {
    RedisKeyStateStore a = replica(Duration.ofMillis(200));
    a.update("p", "k4", s -> BLOCKED_401);
    eventually("written", () -> {
      try {
        return redis.command("GET", "t:keystate:p:k4") != null;
      } catch (Exception e) {
        return false;
      }
    });
    // A replica that starts (again) writes nothing and reads the block.
    RedisKeyStateStore restarted = replica(Duration.ofMillis(200));
    restarted.get("p", "k4");
    eventually("the new replica sees the block", () -> restarted.get("p", "k4").equals(BLOCKED_401));
    assertEquals(KeyStateCodec.encode(BLOCKED_401), redis.command("GET", "t:keystate:p:k4"));

    // Redis dies and comes back empty: the replicas put the block back, and a change made
    // while it was down is written once it is back.
    assertEquals(KeyState.HEALTHY, restarted.get("p", "k5")); // read, as a KeyPool reads all its keys
    redis.kill();
    KeyState cooling = new KeyState(KeyStatus.COOLING_DOWN,
        Instant.ofEpochMilli(System.currentTimeMillis() + 60_000), 1, "429"); // Redis keeps milliseconds
    a.update("p", "k5", s -> cooling);
    assertEquals(cooling, a.get("p", "k5"), "the mirror serves while Redis is down");
    assertEquals(BLOCKED_401, restarted.get("p", "k4"));
    redis.restart();
    eventually("the block is back in Redis", () -> {
      try {
        return KeyStateCodec.encode(BLOCKED_401).equals(redis.command("GET", "t:keystate:p:k4"));
      } catch (Exception e) {
        return false;
      }
    });
    eventually("the change made during the outage reached Redis and the other replica", () ->
        restarted.get("p", "k5").equals(cooling) && a.pendingWrites() == 0);
    assertEquals(BLOCKED_401, restarted.get("p", "k4"));
  }

  @Test
  void theCodecRoundTrips() {
    for (KeyState s : List.of(KeyState.HEALTHY, BLOCKED_401,
        new KeyState(KeyStatus.COOLING_DOWN, Instant.ofEpochMilli(1_800_000_000_000L), 2, "a|b"))) {
      assertEquals(s, KeyStateCodec.decode(KeyStateCodec.encode(s)).orElseThrow());
    }
    assertTrue(KeyStateCodec.decode("garbage").isEmpty());
    assertTrue(KeyStateCodec.decode("NOPE|1|1|x").isEmpty());
  }
}
