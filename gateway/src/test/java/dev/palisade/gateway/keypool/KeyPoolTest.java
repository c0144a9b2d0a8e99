package dev.palisade.gateway.keypool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.gateway.config.KeyPoolPolicy;
import dev.palisade.gateway.config.ProviderKey;
import dev.palisade.gateway.secrets.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyPoolTest {

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final ManualClock clock = new ManualClock();
  final List<String> changes = new ArrayList<>();
  final KeyPool pool = new KeyPool("p",
      List.of(new ProviderKey("k1", new Secret("s1")), new ProviderKey("k2", new Secret("s2"))),
      new KeyPoolPolicy(Duration.ofSeconds(10), 3, Duration.ofMinutes(5), Duration.ofSeconds(30)),
      new InMemoryKeyStateStore(),
      (provider, id, before, after) -> changes.add(id + ":" + after.status()),
      clock);

  @Test
  void requestsAreSpreadRoundRobin() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      seen.add(pool.acquire(Set.of()).orElseThrow().id());
    }
    assertEquals(Set.of("k1", "k2"), seen);
  }

  @Test
  void rateLimitedKeysRestForRetryAfterOrTheCooldown() {
    pool.reportFailure("k1", new Failure.RateLimited(Duration.ofSeconds(2)));
    assertEquals(KeyStatus.COOLING_DOWN, pool.status("k1"));
    for (int i = 0; i < 4; i++) {
      assertEquals("k2", pool.acquire(Set.of()).orElseThrow().id());
    }
    clock.now = clock.now.plusSeconds(2);
    assertEquals(KeyStatus.AVAILABLE, pool.status("k1"));
    pool.reportFailure("k2", new Failure.Unhealthy("500", null));
    clock.now = clock.now.plusSeconds(9);
    assertEquals(KeyStatus.COOLING_DOWN, pool.status("k2"), "default cooldown is 10 s");
    clock.now = clock.now.plusSeconds(1);
    assertEquals(KeyStatus.AVAILABLE, pool.status("k2"));
  }

  @Test
  void consecutiveFailuresBlockAndASuccessResets() {
    pool.reportFailure("k1", new Failure.Unhealthy("500", null));
    pool.reportFailure("k1", new Failure.Unhealthy("500", null));
    pool.reportSuccess("k1");
    pool.reportFailure("k1", new Failure.Unhealthy("500", null));
    pool.reportFailure("k1", new Failure.Unhealthy("500", null));
    assertEquals(KeyStatus.COOLING_DOWN, pool.status("k1"), "the success reset the count");
    pool.reportFailure("k1", new Failure.Unhealthy("503", null));
    assertEquals(KeyStatus.BLOCKED, pool.status("k1"));
    assertEquals(List.of("k1"), pool.blockedKeys().stream().map(ProviderKey::id).toList());
    clock.now = clock.now.plus(Duration.ofMinutes(5));
    assertEquals(KeyStatus.AVAILABLE, pool.status("k1"), "blocks for failures end on their own");
  }

  @Test
  void rejectedKeysStayBlockedUntilASuccessfulProbe() {
    pool.reportFailure("k1", new Failure.Rejected(401));
    clock.now = clock.now.plus(Duration.ofDays(30));
    assertEquals(KeyStatus.BLOCKED, pool.status("k1"));
    assertTrue(pool.acquire(Set.of("k2")).isEmpty());
    pool.reportSuccess("k1");
    assertEquals(KeyStatus.AVAILABLE, pool.status("k1"));
    assertEquals(List.of("k1:BLOCKED", "k1:AVAILABLE"), changes);
  }

  @Test
  void failuresOfRequestsSentBeforeABlockNeitherExtendItNorCountAsNewBlocks() {
    for (int i = 0; i < 3; i++) {
      pool.reportFailure("k1", new Failure.Unhealthy("timeout", null));
    }
    assertEquals(KeyStatus.BLOCKED, pool.status("k1"));
    clock.now = clock.now.plus(Duration.ofMinutes(4));
    for (int i = 0; i < 50; i++) {
      pool.reportFailure("k1", new Failure.Unhealthy("timeout", null)); // stragglers
    }
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    assertEquals(KeyStatus.AVAILABLE, pool.status("k1"), "the block still ends 5 minutes after it began");
    assertEquals(List.of("k1:COOLING_DOWN", "k1:BLOCKED"), changes);
  }
}
