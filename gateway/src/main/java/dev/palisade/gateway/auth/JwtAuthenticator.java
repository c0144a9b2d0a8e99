package dev.palisade.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import dev.palisade.gateway.config.AuthMethod;
import dev.palisade.gateway.config.ConsumerConfig;
import dev.palisade.gateway.config.JwtConfig;
import dev.palisade.gateway.consumer.ConsumerKeys;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Verifies JWT bearer tokens with Nimbus JOSE+JWT and maps the configured claim to a consumer.
 *
 * <p>Order of checks: the header's algorithm against the allowlist (so {@code none} and HMAC are
 * refused before any key is looked at), then a key of that algorithm's family from the JWKS
 * (Nimbus's key selector never hands an RSA or EC key to an HMAC verifier), the signature, and
 * only then the claims: issuer, audience, exp/nbf with the configured skew, the consumer claim.
 */
final class JwtAuthenticator {

  private final JwtConfig config;
  private final JwksCache keys;
  private final Set<JWSAlgorithm> algorithms;
  private final DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier;
  private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
  private final Map<String, ConsumerConfig> byClaim = new HashMap<>();
  private volatile KeyIndex index;
  private final Clock clock;
  /**
   * Tokens already verified, by SHA-256: clients reuse one token for its lifetime, and an ES256
   * signature check costs milliseconds of event-loop time on JDK 17. An entry holds only while
   * the key set it was verified with is current and the token has not expired.
   */
  private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

  static final int MAX_VERIFIED = 10_000;

  private record Verified(JWKSet set, ConsumerConfig consumer, long validUntilMillis) {}

  JwtAuthenticator(JwtConfig config, JwksCache keys, List<ConsumerConfig> consumers, Clock clock) {
    this.config = config;
    this.keys = keys;
    this.clock = clock;
    this.algorithms = config.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toUnmodifiableSet());
    this.claimsVerifier =
        new DefaultJWTClaimsVerifier<>(
            Set.of(config.audience()),
            new JWTClaimsSet.Builder().issuer(config.issuer()).build(),
            Set.of("exp", config.consumerClaim()),
            null);
    this.claimsVerifier.setMaxClockSkew((int) config.clockSkew().toSeconds());
    for (ConsumerConfig c : consumers) {
      if (c.identities().jwtClaim() != null) {
        byClaim.put(c.identities().jwtClaim(), c);
      }
    }
  }

  void warmUp() {
    keys.current();
  }

  /** Whether a bearer value has a JWS compact shape (three base64url parts), not a gateway key. */
  static boolean looksLikeJwt(String bearer) {
    int first = bearer.indexOf('.');
    int second = first < 0 ? -1 : bearer.indexOf('.', first + 1);
    return first > 0 && second > first && bearer.indexOf('.', second + 1) < 0;
  }

  CompletableFuture<AuthOutcome> authenticate(String token) {
    String digest = ConsumerKeys.sha256Hex(token);
    Verified hit = verified.get(digest);
    if (hit != null) {
      CompletableFuture<JWKSet> current = keys.current();
      if (current.isDone() && !current.isCompletedExceptionally() && current.join() == hit.set()
          && clock.millis() <= hit.validUntilMillis()) {
        return done(new AuthOutcome.Authenticated(hit.consumer(), AuthMethod.JWT));
      }
      verified.remove(digest);
    }
    return verifyFully(token).thenApply(r -> {
      if (r.outcome() instanceof AuthOutcome.Authenticated ok) {
        if (verified.size() >= MAX_VERIFIED) {
          verified.clear(); // bounded memory; the next uses verify again
        }
        verified.put(digest, new Verified(r.set(), ok.consumer(), r.validUntilMillis()));
      }
      return r.outcome();
    });
  }

  /** A verdict, and for an accepted token the key set it was verified with and its end of life. */
  private record Result(AuthOutcome outcome, JWKSet set, long validUntilMillis) {
    static Result refusal(AuthOutcome outcome) {
      return new Result(outcome, null, 0);
    }
  }

  private CompletableFuture<Result> verifyFully(String token) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      return CompletableFuture.completedFuture(Result.refusal(refused("malformed_token", "it is not a well-formed signed JWT")));
    }
    JWSHeader header = jwt.getHeader();
    if (!algorithms.contains(header.getAlgorithm())) {
      return CompletableFuture.completedFuture(
          Result.refusal(refused("algorithm_refused", "its signing algorithm is not accepted by this gateway")));
    }
    return keys.current()
        .thenCompose(set -> {
          List<Key> candidates = candidates(set, header);
          if (!candidates.isEmpty()) {
            return CompletableFuture.completedFuture(verify(jwt, set, candidates));
          }
          // A kid we do not know: the issuer may have rotated its keys since the last fetch.
          return keys.refreshForUnknownKey().thenApply(fresh -> {
            List<Key> again = candidates(fresh, header);
            return again.isEmpty()
                ? Result.refusal(refused("unknown_key_id", "no key of the issuer's key set matches it"))
                : verify(jwt, fresh, again);
          });
        })
        .exceptionally(e -> Result.refusal(new AuthOutcome.Refused(503, "authentication_unavailable",
            "jwks_unavailable",
            "The gateway cannot check bearer tokens right now (its issuer's key set is unavailable).")));
  }

  /**
   * The Java keys a token's header selects. Turning a JWK into a Java key (EC point validation
   * included) costs more than the signature check, so selections are kept per key set. Only
   * non-empty selections are kept: those exist only for the set's own kids, so made-up kids in
   * tokens cannot grow the map.
   */
  private List<Key> candidates(JWKSet set, JWSHeader header) {
    KeyIndex current = index;
    if (current == null || current.set() != set) {
      current = new KeyIndex(set, new ConcurrentHashMap<>());
      index = current;
    }
    String cacheKey = header.getAlgorithm().getName() + "|" + header.getKeyID();
    List<Key> cached = current.selections().get(cacheKey);
    if (cached != null) {
      return cached;
    }
    JWSVerificationKeySelector<SecurityContext> selector =
        new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(set));
    List<Key> selected;
    try {
      selected = List.copyOf(selector.selectJWSKeys(header, null));
    } catch (com.nimbusds.jose.KeySourceException e) {
      return List.of();
    }
    if (!selected.isEmpty()) {
      current.selections().put(cacheKey, selected);
    }
    return selected;
  }

  private record KeyIndex(JWKSet set, ConcurrentHashMap<String, List<Key>> selections) {}

  private Result verify(SignedJWT jwt, JWKSet set, List<Key> candidates) {
    boolean verified = false;
    for (Key key : candidates) {
      try {
        JWSVerifier verifier = verifiers.createJWSVerifier(jwt.getHeader(), key);
        if (jwt.verify(verifier)) {
          verified = true;
          break;
        }
      } catch (JOSEException e) {
        // a key that cannot verify this algorithm: try the next
      }
    }
    if (!verified) {
      return Result.refusal(refused("bad_signature", "its signature does not verify"));
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return Result.refusal(refused("malformed_token", "its claims are not valid JSON"));
    }
    try {
      claimsVerifier.verify(claims, null);
    } catch (BadJWTException e) {
      return Result.refusal(claimsRefused(claims));
    }
    Object value = claims.getClaim(config.consumerClaim());
    if (!(value instanceof String name)) {
      return Result.refusal(refused("claim_missing", "its '" + config.consumerClaim() + "' claim is not a string"));
    }
    ConsumerConfig consumer = byClaim.get(name);
    if (consumer == null) {
      return Result.refusal(
          refused("unknown_subject", "its '" + config.consumerClaim() + "' claim names no consumer of this gateway"));
    }
    // exp is required, so the verifier has seen one.
    long validUntil = claims.getExpirationTime().getTime() + config.clockSkew().toMillis();
    return new Result(new AuthOutcome.Authenticated(consumer, AuthMethod.JWT), set, validUntil);
  }

  /**
   * Nimbus has already refused the claims; this only picks the wording for the client, from the
   * claims themselves (Nimbus's messages quote claim values from the token, so they are not sent).
   */
  private AuthOutcome.Refused claimsRefused(JWTClaimsSet c) {
    long now = System.currentTimeMillis();
    long skew = config.clockSkew().toMillis();
    if (c.getExpirationTime() == null || c.getClaim(config.consumerClaim()) == null) {
      return refused("claim_missing", "it lacks a required claim (exp or '" + config.consumerClaim() + "')");
    }
    if (!config.issuer().equals(c.getIssuer())) {
      return refused("wrong_issuer", "its issuer is not the one this gateway trusts");
    }
    if (c.getAudience() == null || !c.getAudience().contains(config.audience())) {
      return refused("wrong_audience", "its audience is not this gateway's");
    }
    if (c.getExpirationTime().getTime() + skew < now) {
      return refused("expired", "it has expired");
    }
    if (c.getNotBeforeTime() != null && c.getNotBeforeTime().getTime() - skew > now) {
      return refused("not_yet_valid", "it is not valid yet (nbf)");
    }
    return refused("claims_refused", "its claims are not accepted");
  }

  private static AuthOutcome.Refused refused(String reason, String why) {
    return AuthOutcome.unauthorized(reason, "The bearer token was refused: " + why + ".");
  }

  private static CompletableFuture<AuthOutcome> done(AuthOutcome outcome) {
    return CompletableFuture.completedFuture(outcome);
  }
}
