package dev.palisade.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import dev.palisade.gateway.testing.TestIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Caching, rate limiting, single flight and stale-on-error of the JWKS cache, on a settable clock. */
class JwksCacheTest {

  static final TestIssuer.SigningKey KEY = TestIssuer.rsa("k1");

  /** A source whose next answer a test sets; counts fetches. */
  static final class ScriptedSource implements JwksSource {
    final AtomicInteger fetches = new AtomicInteger();
    final AtomicReference<CompletableFuture<byte[]>> next = new AtomicReference<>();

    @Override
    public CompletableFuture<byte[]> fetch() {
      fetches.incrementAndGet();
      return next.get();
    }

    @Override
    public String describe() {
      return "scripted";
    }
  }

  static final class SettableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
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

  static CompletableFuture<byte[]> jwks(String text) {
    return CompletableFuture.completedFuture(text.getBytes(StandardCharsets.UTF_8));
  }

  static String jwksOf(TestIssuer.SigningKey key) {
    return "{\"keys\":[" + new com.nimbusds.jose.jwk.RSAKey.Builder(
        (java.security.interfaces.RSAPublicKey) key.pair().getPublic()).keyID(key.kid()).build() + "]}";
  }

  @Test
  void cachesForTheTtlAndRateLimitsEarlyRefreshes() {
    ScriptedSource source = new ScriptedSource();
    SettableClock clock = new SettableClock();
    JwksCache cache = new JwksCache(source, Duration.ofMinutes(10), Duration.ofSeconds(30), clock);
    source.next.set(jwks(jwksOf(KEY)));
    JWKSet first = cache.current().join();
    assertEquals(1, first.getKeys().size());
    cache.current().join();
    assertEquals(1, source.fetches.get(), "fresh: no fetch");
    for (int i = 0; i < 50; i++) {
      assertSame(first, cache.refreshForUnknownKey().join());
    }
    assertEquals(1, source.fetches.get(), "unknown kids within the interval fetch nothing");
    clock.now = clock.now.plusSeconds(31);
    cache.refreshForUnknownKey().join();
    assertEquals(2, source.fetches.get(), "after the interval one early fetch");
    clock.now = clock.now.plus(Duration.ofMinutes(11));
    cache.current().join();
    assertEquals(3, source.fetches.get(), "stale after the TTL");
  }

  @Test
  void oneFetchAtATimeAndTheLastGoodSetSurvivesAFailure() {
    ScriptedSource source = new ScriptedSource();
    SettableClock clock = new SettableClock();
    JwksCache cache = new JwksCache(source, Duration.ofMinutes(10), Duration.ofSeconds(1), clock);
    CompletableFuture<byte[]> pending = new CompletableFuture<>();
    source.next.set(pending);
    CompletableFuture<JWKSet> a = cache.current();
    CompletableFuture<JWKSet> b = cache.current();
    assertEquals(1, source.fetches.get(), "the second caller waits for the same fetch");
    pending.complete(jwksOf(KEY).getBytes(StandardCharsets.UTF_8));
    assertSame(a.join(), b.join());

    clock.now = clock.now.plusSeconds(2);
    source.next.set(CompletableFuture.failedFuture(new JwksSource.JwksException("scripted: HTTP 500")));
    assertSame(a.join(), cache.refreshForUnknownKey().join(), "a failed refresh keeps the old set");
  }

  @Test
  void withoutAnyGoodSetAFailureFailsAndSymmetricKeysAreDropped() {
    ScriptedSource source = new ScriptedSource();
    JwksCache cache = new JwksCache(source, Duration.ofMinutes(10), Duration.ofSeconds(1), new SettableClock());
    source.next.set(jwks("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQ\"}]}"));
    CompletionException e = assertThrows(CompletionException.class, () -> cache.current().join());
    assertTrue(e.getCause().getMessage().contains("no public signature key"), e.getCause().getMessage());
    assertThrows(CompletionException.class, () -> cache.current().join(), "rate limited, still no keys");
    assertEquals(1, source.fetches.get());
  }
}
