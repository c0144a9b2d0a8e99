package dev.palisade.gateway.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * The current JWKS, shared by all event loops. It is fetched again when older than the TTL, or
 * early when a token names a {@code kid} it does not hold (a key rotation) — but never more often
 * than the minimum interval, so a flood of tokens with made-up {@code kid}s costs the identity
 * provider one fetch per interval. One fetch at a time; a failed fetch keeps the last good set.
 */
final class JwksCache {

  private static final Logger LOG = Logger.getLogger("dev.palisade.gateway.auth");
  static final int MAX_KEYS = 100;

  private final JwksSource source;
  private final Duration ttl;
  private final Duration minInterval;
  private final Clock clock;

  private JWKSet keys; // null until the first successful fetch
  private Instant fetchedAt = Instant.MIN;
  private Instant lastAttempt = Instant.MIN;
  private CompletableFuture<JWKSet> inFlight;

  JwksCache(JwksSource source, Duration ttl, Duration minInterval, Clock clock) {
    this.source = source;
    this.ttl = ttl;
    this.minInterval = minInterval;
    this.clock = clock;
  }

  /** The set to verify with: the cached one while fresh, else a fetch (if the rate limit allows). */
  synchronized CompletableFuture<JWKSet> current() {
    Instant now = clock.instant();
    if (keys != null && now.isBefore(fetchedAt.plus(ttl))) {
      return CompletableFuture.completedFuture(keys);
    }
    return refresh(now);
  }

  /** Called when no cached key matches a token: fetch again unless one was tried too recently. */
  synchronized CompletableFuture<JWKSet> refreshForUnknownKey() {
    return refresh(clock.instant());
  }

  private CompletableFuture<JWKSet> refresh(Instant now) {
    if (inFlight != null) {
      return inFlight;
    }
    if (now.isBefore(lastAttempt.plus(minInterval))) {
      return keys != null
          ? CompletableFuture.completedFuture(keys)
          : CompletableFuture.failedFuture(new JwksSource.JwksException(
              source.describe() + ": no usable JWKS yet; the last fetch failed less than "
                  + minInterval.toSeconds() + "s ago"));
    }
    lastAttempt = now;
    CompletableFuture<JWKSet> fetch = source.fetch().thenApply(this::parse);
    CompletableFuture<JWKSet> result = fetch.handle((set, error) -> {
      synchronized (this) {
        inFlight = null;
        if (error == null) {
          keys = set;
          fetchedAt = clock.instant();
          return set;
        }
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        LOG.warning(() -> "JWKS refresh failed: " + cause.getMessage()
            + (keys != null ? " (keeping the previous key set)" : ""));
        if (keys != null) {
          return keys;
        }
        throw cause instanceof JwksSource.JwksException j ? j : new JwksSource.JwksException(cause.getMessage());
      }
    });
    // A source that answered at once has already run the handler above (this thread holds the
    // lock, so it re-entered): remembering the finished future would pin it forever.
    inFlight = result.isDone() ? null : result;
    return result;
  }

  /**
   * Keeps only public signature keys: a symmetric ({@code oct}) key in a JWKS would let anyone
   * who read the JWKS sign tokens, and a private key has no business being published.
   */
  JWKSet parse(byte[] document) {
    JWKSet parsed;
    try {
      parsed = JWKSet.parse(new String(document, StandardCharsets.UTF_8));
    } catch (ParseException e) {
      throw new JwksSource.JwksException(source.describe() + ": not a valid JWKS: " + e.getMessage());
    }
    List<JWK> usable =
        parsed.getKeys().stream()
            .filter(k -> !(k instanceof OctetSequenceKey))
            .filter(k -> k.getKeyUse() == null || KeyUse.SIGNATURE.equals(k.getKeyUse()))
            .map(JWK::toPublicJWK)
            .toList();
    if (usable.isEmpty()) {
      throw new JwksSource.JwksException(source.describe() + ": the JWKS holds no public signature key");
    }
    if (usable.size() > MAX_KEYS) {
      throw new JwksSource.JwksException(
          source.describe() + ": the JWKS holds " + usable.size() + " keys, more than " + MAX_KEYS);
    }
    return new JWKSet(usable);
  }
}
