package dev.palisade.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How JWT bearer tokens are verified.
 *
 * @param jwksFile a JWKS on disk (exactly one of {@code jwksFile} and {@code jwksUrl})
 * @param jwksUrl an https JWKS endpoint (http only for 127.0.0.1/localhost)
 * @param algorithms the JWS algorithms accepted; asymmetric ones only (never none or HMAC)
 * @param consumerClaim the claim whose string value names the consumer (default {@code sub})
 * @param clockSkew tolerance on exp/nbf/iat
 * @param cacheTtl how long a fetched JWKS is used before it is fetched again
 * @param refreshMinInterval the least time between two fetches (unknown {@code kid}s cannot make
 *     the gateway hammer the identity provider)
 * @param fetchTimeout connect + response timeout of one JWKS fetch
 * @param maxJwksBytes the largest JWKS document accepted
 * @param jwksCaFile PEM CA to trust for {@code jwksUrl}; null trusts the JDK's default CAs
 */
public record JwtConfig(
    Path jwksFile,
    URI jwksUrl,
    String issuer,
    String audience,
    Set<String> algorithms,
    String consumerClaim,
    Duration clockSkew,
    Duration cacheTtl,
    Duration refreshMinInterval,
    Duration fetchTimeout,
    long maxJwksBytes,
    Path jwksCaFile) {

  /** Asymmetric JWS algorithms; HMAC ones are absent on purpose (no shared-secret tokens). */
  public static final Set<String> SUPPORTED_ALGORITHMS =
      Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");

  public JwtConfig {
    if ((jwksFile == null) == (jwksUrl == null)) {
      throw new IllegalArgumentException("exactly one of jwks_file and jwks_url");
    }
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    algorithms = Set.copyOf(algorithms);
    if (algorithms.isEmpty() || !SUPPORTED_ALGORITHMS.containsAll(algorithms)) {
      throw new IllegalArgumentException("algorithms must be a non-empty subset of " + SUPPORTED_ALGORITHMS);
    }
    Objects.requireNonNull(consumerClaim, "consumerClaim");
    if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("clock_skew must be between 0s and 5m");
    }
    if (maxJwksBytes < 1024) {
      throw new IllegalArgumentException("max_jwks_bytes must be at least 1024");
    }
  }
}
