package dev.palisade.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.gateway.state.RedisLink;
import dev.palisade.gateway.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Quota leased in blocks (LeasedQuotaStore) against Debian's real redis-server. */
class LeasedQuotaStoreTest {

  static TestRedis redis;
  Vertx vertx;
  RedisLink link;
  final List<LeasedQuotaStore> stores = new ArrayList<>();

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
    link = link();
  }

  @AfterEach
  void disconnect() {
    stores.forEach(LeasedQuotaStore::close);
    link.close();
    vertx.close().await();
  }

  RedisLink link() {
    return up(redis.link(vertx, Duration.ofMillis(1500)));
  }

  /** Waits for the link's first answer (a store treats a link not yet up as down). */
  static RedisLink up(RedisLink link) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!link.isUp() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertTrue(link.isUp(), "redis link did not come up");
    return link;
  }

  LeasedQuotaStore store(RedisLink on, Clock clock, Duration lease, long maxTokens, long maxRequests) {
    LeasedQuotaStore s = new LeasedQuotaStore(new RedisQuotaStore(on, "t:", clock, lease), on, clock,
        lease, new LeasedQuotaStore.Settings(maxTokens, maxRequests, Duration.ofMillis(200)), on::isUp);
    stores.add(s);
    return s;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }

  static Limits perDay(long tokens) {
    return new Limits(tokens, Limits.UNLIMITED, Limits.UNLIMITED, Limits.UNLIMITED);
  }

  String day(String field) throws Exception {
    String day = java.time.LocalDate.now(ZoneOffset.UTC).toString();
    return redis.command("HGET", "t:quota:{c}:day:" + day, field);
  }

  @Test
  void manyThreadsOnOneSmallBlockNeverOverspendAndEverythingSettles() throws Exception {
    // Two replicas, blocks of 100 tokens (10 requests of 10) against a day of 2,000 tokens:
    // 8 threads x 100 requests each, spending exactly their estimate.
    RedisLink other = link();
    try {
      LeasedQuotaStore a = store(link, Clock.systemUTC(), Duration.ofMinutes(5), 100, 1000);
      LeasedQuotaStore b = store(other, Clock.systemUTC(), Duration.ofMinutes(5), 100, 1000);
      AtomicLong granted = new AtomicLong();
      AtomicLong denied = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<java.util.concurrent.Future<?>> jobs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        LeasedQuotaStore s = t % 2 == 0 ? a : b;
        jobs.add(pool.submit(() -> {
          for (int i = 0; i < 100; i++) {
            QuotaStore.Decision d = await(s.reserve("c", perDay(2000), 10));
            if (d instanceof QuotaStore.Reservation r) {
              granted.incrementAndGet();
              await(s.settle(r, 10));
            } else {
              assertEquals("tokens_per_day", ((QuotaStore.Denied) d).limit());
              denied.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (var j : jobs) {
        j.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertEquals(800, granted.get() + denied.get());
      // Every request used exactly its estimate, so nothing may pass the limit. Near the limit
      // requests reserve one by one; a replica can only be refused early by what the other one
      // still holds of its last block (at most 1.5 blocks = 150 tokens = 15 requests).
      assertTrue(granted.get() <= 200 && granted.get() >= 185, "granted " + granted.get());
      a.close();
      b.close();
      assertEquals(Long.toString(granted.get() * 10), day("used"));
      assertEquals("0", day("reserved"));
    } finally {
      other.close();
    }
  }

  @Test
  void blocksAreRefilledAheadSoMostRequestsDoNotWaitForRedis() throws Exception {
    LeasedQuotaStore s = store(link, Clock.systemUTC(), Duration.ofMinutes(5), 100, 1000);
    int immediate = 0;
    for (int i = 0; i < 200; i++) {
      Future<QuotaStore.Decision> f = s.reserve("c", perDay(1_000_000), 10);
      if (f.isComplete()) {
        immediate++;
      }
      QuotaStore.Reservation r = assertInstanceOf(QuotaStore.Reservation.class, await(f));
      await(s.settle(r, 10));
      Thread.sleep(2); // leave the refill its round trip, as real requests do
    }
    // The first request waits for the first block; refills at half a block run ahead.
    assertTrue(immediate >= 190, "only " + immediate + " of 200 did not wait");
    assertTrue(Long.parseLong(day("reserved")) > 0, "a block is leased");
    s.close();
    assertEquals("2000", day("used"));
    assertEquals("0", day("reserved"));
  }

  @Test
  void requestsLargerThanABlockAndExhaustionReserveDirectly() throws Exception {
    LeasedQuotaStore s = store(link, Clock.systemUTC(), Duration.ofMinutes(5), 100, 1000);
    QuotaStore.Reservation big = assertInstanceOf(QuotaStore.Reservation.class,
        await(s.reserve("c", perDay(1000), 500)));
    assertTrue(!big.id().startsWith("lease:"), "a request over a block reserves per request");
    QuotaStore.Denied d = assertInstanceOf(QuotaStore.Denied.class, await(s.reserve("c", perDay(1000), 501)));
    assertEquals("tokens_per_day", d.limit());
    await(s.settle(big, 500));
    // 500 left: blocks of at most 500/8 = 62 hold 4 requests of 10 -> leased ...
    QuotaStore.Reservation small = assertInstanceOf(QuotaStore.Reservation.class,
        await(s.reserve("c", perDay(1000), 10)));
    assertTrue(small.id().startsWith("lease:"));
    await(s.settle(small, 10));
    // ... and the rest, to exactly the limit, one by one.
    int more = 0;
    while (await(s.reserve("c", perDay(1000), 10)) instanceof QuotaStore.Reservation r) {
      await(s.settle(r, 10));
      more++;
    }
    assertEquals(49, more);
    s.close();
    assertEquals("1000", day("used"));
    assertEquals("0", day("reserved"));
  }

  @Test
  void requestsPerMinuteAreLeasedAndUnusedOnesGivenBack() throws Exception {
    Limits rpm = new Limits(Limits.UNLIMITED, Limits.UNLIMITED, 100, Limits.UNLIMITED);
    LeasedQuotaStore s = store(link, Clock.systemUTC(), Duration.ofMinutes(5), 1000, 10);
    QuotaStore.Reservation r = assertInstanceOf(QuotaStore.Reservation.class, await(s.reserve("c", rpm, 1)));
    assertTrue(r.id().startsWith("lease:"));
    String minuteKey = "t:quota:{c}:minute:" + r.minute();
    assertEquals("10", redis.command("HGET", minuteKey, "requests"), "a block of 10 requests");
    await(s.settle(r, 1));
    s.close();
    assertEquals("1", redis.command("HGET", minuteKey, "requests"), "9 unused requests given back");
    int granted = 1;
    LeasedQuotaStore again = store(link, Clock.systemUTC(), Duration.ofMinutes(5), 1000, 10);
    while (await(again.reserve("c", rpm, 1)) instanceof QuotaStore.Reservation x) {
      await(again.settle(x, 1));
      granted++;
    }
    assertEquals(100, granted, "exactly requests_per_minute in this minute");
  }

  @Test
  void aNewMinuteTakesANewBlockAndTheOldOneIsGivenBack() throws Exception {
    // Near the real time: Redis expires window keys at real times.
    Instant base = awayFromMidnight().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    MutableClock clock = new MutableClock(base.plusSeconds(30));
    LeasedQuotaStore s = store(link, clock, Duration.ofMinutes(5), 100, 1000);
    QuotaStore.Reservation first = assertInstanceOf(QuotaStore.Reservation.class,
        await(s.reserve("c", perDay(1_000_000), 10)));
    assertEquals(QuotaWindows.at(base).minute(), first.minute());
    clock.now = base.plusSeconds(65);
    QuotaStore.Reservation second = assertInstanceOf(QuotaStore.Reservation.class,
        await(s.reserve("c", perDay(1_000_000), 10)));
    assertEquals(QuotaWindows.at(base.plusSeconds(60)).minute(), second.minute());
    // The old block is retired at the next flush: it keeps only what its request still holds.
    Thread.sleep(600);
    String day = "t:quota:{c}:day:" + first.day();
    assertEquals("110", redis.command("HGET", day, "reserved"), "new block 100 + old in flight 10");
    await(s.settle(first, 7));
    await(s.settle(second, 3));
    s.close();
    assertEquals("10", redis.command("HGET", day, "used"));
    assertEquals("0", redis.command("HGET", day, "reserved"));
    assertEquals("0", redis.command("HLEN", "t:quota:{c}:leases"));
  }

  @Test
  void theNextMinutesBlockIsLeasedJustBeforeTheMinuteEnds() throws Exception {
    // Near the real time: Redis expires the minute keys at real times (a minute after the end).
    Instant minuteEnd = awayFromMidnight().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(60);
    QuotaWindows later = QuotaWindows.at(minuteEnd);
    MutableClock clock = new MutableClock(minuteEnd.minusMillis(100));
    LeasedQuotaStore s = store(link, clock, Duration.ofMinutes(5), 100, 1000);
    QuotaStore.Reservation r = assertInstanceOf(QuotaStore.Reservation.class,
        await(s.reserve("c", perDay(1_000_000), 10)));
    await(s.settle(r, 10));
    // Within one flush interval (200 ms) of the minute's end, the timer leases the next one.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    String next = "t:quota:{c}:minute:" + later.minute();
    while (!"100".equals(redis.command("HGET", next, "reserved")) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals("100", redis.command("HGET", next, "reserved"), "next minute's block leased ahead");
    Thread.sleep(100); // Redis has answered; leave the store a moment to take the reply in
    clock.now = minuteEnd.plusMillis(50);
    Future<QuotaStore.Decision> f = s.reserve("c", perDay(1_000_000), 10);
    assertTrue(f.isComplete(), "the first request of the new minute does not wait for Redis");
    await(s.settle(assertInstanceOf(QuotaStore.Reservation.class, await(f)), 10));
    s.close();
    assertEquals("20", redis.command("HGET", "t:quota:{c}:day:" + later.day(), "used"));
    assertEquals("0", redis.command("HGET", "t:quota:{c}:day:" + later.day(), "reserved"));
    assertEquals("0", redis.command("HGET", next, "reserved"));
  }

  @Test
  void aReplicaKilledWithoutFlushingHasItsBlockGivenBackAfterTheLease() throws Exception {
    Vertx dying = Vertx.vertx();
    RedisLink dead = up(redis.link(dying, Duration.ofMillis(1500)));
    Duration lease = Duration.ofMillis(500);
    LeasedQuotaStore killed = new LeasedQuotaStore(new RedisQuotaStore(dead, "t:", Clock.systemUTC(), lease),
        dead, Clock.systemUTC(), lease, new LeasedQuotaStore.Settings(100, 1000, Duration.ofSeconds(1)), dead::isUp);
    assertInstanceOf(QuotaStore.Reservation.class, await(killed.reserve("c", perDay(1000), 10)));
    assertEquals("100", day("reserved"));
    dying.close().await(); // no flush: the replica is gone
    Thread.sleep(700);
    LeasedQuotaStore survivor = store(link, Clock.systemUTC(), lease, 100, 1000);
    QuotaStore.Reservation r = assertInstanceOf(QuotaStore.Reservation.class,
        await(survivor.reserve("c", perDay(1000), 10)));
    assertEquals("100", day("reserved"), "the dead block was given back; only the new one remains");
    await(survivor.settle(r, 10));
    survivor.close();
    assertEquals("0", day("reserved"));
    assertEquals("10", day("used"));
  }

  /**
   * Now, unless a day boundary is less than two minutes away: then after it. These tests step the
   * clock into the next minute, and at 00:00 UTC that would move the day window as well.
   */
  static Instant awayFromMidnight() throws InterruptedException {
    long toMidnight = 86_400 - Instant.now().getEpochSecond() % 86_400;
    if (toMidnight < 120) {
      Thread.sleep((toMidnight + 1) * 1000);
    }
    return Instant.now();
  }

  static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
