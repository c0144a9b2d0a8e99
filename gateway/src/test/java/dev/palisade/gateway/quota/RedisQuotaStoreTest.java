package dev.palisade.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.gateway.config.StateConfig.OnUnavailable;
import dev.palisade.gateway.state.RedisLink;
import dev.palisade.gateway.state.StateStoreUnavailableException;
import dev.palisade.gateway.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reserve/settle Lua scripts against Debian's real redis-server. */
class RedisQuotaStoreTest {

  static TestRedis redis;
  Vertx vertx;
  RedisLink link;

  @BeforeAll
  static void startRedis() {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void connect() throws Exception {
    redis.command("FLUSHALL");
    vertx = Vertx.vertx();
    link = link(redis.url());
  }

  @AfterEach
  void disconnect() {
    link.close();
    vertx.close().await();
  }

  RedisLink link(String url) {
    return TestRedis.link(vertx, url, Duration.ofMillis(1500));
  }

  RedisQuotaStore store(Duration lease) {
    return new RedisQuotaStore(link, "t:", Clock.systemUTC(), lease);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }

  static Limits perDay(long tokens) {
    return new Limits(tokens, Limits.UNLIMITED, Limits.UNLIMITED, Limits.UNLIMITED);
  }

  @Test
  void reserveThenSettleReplacesTheEstimateWithTheRealUsage() throws Exception {
    RedisQuotaStore store = store(Duration.ofMinutes(5));
    QuotaStore.Reservation r = assertInstanceOf(QuotaStore.Reservation.class,
        await(store.reserve("alice", perDay(1000), 300)));
    assertEquals(new QuotaStore.Usage(0, 300, 0), await(store.usage("alice")));
    await(store.settle(r, 120));
    assertEquals(new QuotaStore.Usage(120, 0, 120), await(store.usage("alice")));
    // Key names and expiries are what the README documents.
    List<String> keys = store.keys("alice", r.day(), r.month(), r.minute());
    assertEquals("t:quota:{alice}:day:" + r.day(), keys.get(0));
    long dayTtl = Long.parseLong(redis.command("PTTL", keys.get(0)));
    assertTrue(dayTtl > Duration.ofDays(1).toMillis() && dayTtl <= Duration.ofDays(2).toMillis(), "day ttl " + dayTtl);
    long minuteTtl = Long.parseLong(redis.command("PTTL", keys.get(2)));
    assertTrue(minuteTtl > 60_000 && minuteTtl <= 120_000, "minute ttl " + minuteTtl);
    assertEquals("0", redis.command("HLEN", keys.get(4)), "a settled reservation leaves no lease");
  }

  @Test
  void eachLimitRefusesWithItsNameAndWhenItsWindowResets() throws Exception {
    RedisQuotaStore store = store(Duration.ofMinutes(5));
    QuotaStore.Denied d = assertInstanceOf(QuotaStore.Denied.class,
        await(store.reserve("a", perDay(100), 101)));
    assertEquals("tokens_per_day", d.limit());
    assertTrue(d.retryAfterSeconds() >= 1 && d.retryAfterSeconds() <= 86_400);
    d = assertInstanceOf(QuotaStore.Denied.class, await(store.reserve("b",
        new Limits(Limits.UNLIMITED, 50, Limits.UNLIMITED, Limits.UNLIMITED), 51)));
    assertEquals("tokens_per_month", d.limit());
    Limits rpm = new Limits(Limits.UNLIMITED, Limits.UNLIMITED, 2, Limits.UNLIMITED);
    assertInstanceOf(QuotaStore.Reservation.class, await(store.reserve("c", rpm, 1)));
    assertInstanceOf(QuotaStore.Reservation.class, await(store.reserve("c", rpm, 1)));
    d = assertInstanceOf(QuotaStore.Denied.class, await(store.reserve("c", rpm, 1)));
    assertEquals("requests_per_minute", d.limit());
    assertTrue(d.retryAfterSeconds() >= 1 && d.retryAfterSeconds() <= 60);
    d = assertInstanceOf(QuotaStore.Denied.class, await(store.reserve("d",
        new Limits(Limits.UNLIMITED, Limits.UNLIMITED, Limits.UNLIMITED, 10), 11)));
    assertEquals("tokens_per_minute", d.limit());
  }

  @Test
  void concurrentReservationsNeverExceedTheLimit() throws Exception {
    // Two stores on two connections, as two replicas: 400 reservations of 10 against 1,000.
    RedisLink other = link(redis.url());
    try {
      RedisQuotaStore a = store(Duration.ofMinutes(5));
      RedisQuotaStore b = new RedisQuotaStore(other, "t:", Clock.systemUTC(), Duration.ofMinutes(5));
      List<Future<QuotaStore.Decision>> all = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        all.add((i % 2 == 0 ? a : b).reserve("shared", perDay(1000), 10));
      }
      await(Future.join(all));
      long granted = all.stream().filter(f -> f.result() instanceof QuotaStore.Reservation).count();
      assertEquals(100, granted);
      assertEquals(new QuotaStore.Usage(0, 1000, 0), await(a.usage("shared")));
    } finally {
      other.close();
    }
  }

  @Test
  void aReservationNeverSettledIsGivenBackWhenItsLeaseExpires() throws Exception {
    RedisQuotaStore store = store(Duration.ofMillis(300));
    QuotaStore.Reservation lost = assertInstanceOf(QuotaStore.Reservation.class,
        await(store.reserve("e", perDay(100), 100)));
    assertInstanceOf(QuotaStore.Denied.class, await(store.reserve("e", perDay(100), 1)));
    Thread.sleep(400);
    // The next reservation gives the expired lease back first.
    QuotaStore.Reservation next = assertInstanceOf(QuotaStore.Reservation.class,
        await(store.reserve("e", perDay(100), 60)));
    assertEquals(new QuotaStore.Usage(0, 60, 0), await(store.usage("e")));
    // If the lost one settles after all, its usage counts; its reservation is not released twice.
    await(store.settle(lost, 30));
    assertEquals(new QuotaStore.Usage(30, 60, 30), await(store.usage("e")));
    await(store.settle(next, 60));
    assertEquals(new QuotaStore.Usage(90, 0, 90), await(store.usage("e")));
  }

  @Test
  void scriptsAreReloadedAfterRedisForgetsThem() throws Exception {
    RedisQuotaStore store = store(Duration.ofMinutes(5));
    await(store.reserve("f", perDay(100), 1));
    redis.command("SCRIPT", "FLUSH");
    assertInstanceOf(QuotaStore.Reservation.class, await(store.reserve("f", perDay(100), 1)));
  }

  @Test
  void aNewReplicaSeesTheUsageOfTheOldOne() throws Exception {
    RedisQuotaStore first = store(Duration.ofMinutes(5));
    await(first.settle(assertInstanceOf(QuotaStore.Reservation.class,
        await(first.reserve("g", perDay(100), 50))), 80));
    RedisLink restarted = link(redis.url());
    try {
      RedisQuotaStore second = new RedisQuotaStore(restarted, "t:", Clock.systemUTC(), Duration.ofMinutes(5));
      assertEquals(new QuotaStore.Usage(80, 0, 80), await(second.usage("g")));
      assertEquals("tokens_per_day", assertInstanceOf(QuotaStore.Denied.class,
          await(second.reserve("g", perDay(100), 21))).limit());
    } finally {
      restarted.close();
    }
  }

  @Test
  void nothingListeningFailsFastAsUnavailable() throws Exception {
    link.close();
    link = link("redis://127.0.0.1:" + TestRedis.freePort());
    RedisQuotaStore store = store(Duration.ofMinutes(5));
    long start = System.nanoTime();
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> store.reserve("h", perDay(100), 1).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertInstanceOf(StateStoreUnavailableException.class, e.getCause());
    assertTrue(System.nanoTime() - start < 2_000_000_000L);
    assertTrue(!link.isUp());
  }

  @Test
  void aRedisThatNeverAnswersTimesOutInsteadOfHanging() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        List<java.net.Socket> held = new ArrayList<>();
        try {
          while (true) {
            held.add(silent.accept()); // accept and never answer
          }
        } catch (Exception done) {
          // closed
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      link.close();
      link = link("redis://127.0.0.1:" + silent.getLocalPort());
      RedisQuotaStore store = store(Duration.ofMinutes(5));
      long start = System.nanoTime();
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> store.reserve("i", perDay(100), 1).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
      assertInstanceOf(StateStoreUnavailableException.class, e.getCause());
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms < 3000, "took " + ms + " ms");
      assertNull(e.getCause().getMessage().contains("@") ? "credentials?" : null);
    }
  }

  @Test
  void failOpenReservesLocallyWhileRedisIsDownAndFailClosedRefuses() throws Exception {
    link.close();
    link = link("redis://127.0.0.1:" + TestRedis.freePort());
    RedisQuotaStore shared = store(Duration.ofMinutes(5));
    FailoverQuotaStore open = new FailoverQuotaStore(shared, new InMemoryQuotaStore(Clock.systemUTC()),
        OnUnavailable.FAIL_OPEN, link::isUp);
    QuotaStore.Reservation r = assertInstanceOf(QuotaStore.Reservation.class,
        await(open.reserve("j", perDay(100), 60)));
    assertEquals("local", r.id());
    assertTrue(open.servingLocally());
    assertInstanceOf(QuotaStore.Denied.class, await(open.reserve("j", perDay(100), 60)),
        "the local fallback still enforces the limits of this replica");
    await(open.settle(r, 10));
    FailoverQuotaStore closed = new FailoverQuotaStore(shared, new InMemoryQuotaStore(Clock.systemUTC()),
        OnUnavailable.FAIL_CLOSED, link::isUp);
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> closed.reserve("j", perDay(100), 1).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertInstanceOf(StateStoreUnavailableException.class, e.getCause());
  }
}
