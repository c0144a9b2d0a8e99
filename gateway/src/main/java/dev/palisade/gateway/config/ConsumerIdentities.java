package dev.palisade.gateway.config;

/**
 * The credentials other than a gateway key that name a consumer. Each is optional; a consumer
 * needs at least one credential of any kind.
 *
 * @param jwtClaim the value the configured JWT claim (default {@code sub}) must hold
 * @param certSha256 SHA-256 of the client certificate (64 lowercase hex characters)
 * @param certSubject the client certificate's subject DN in RFC 2253 form
 * @param certSan a subject alternative name of the client certificate
 */
public record ConsumerIdentities(String jwtClaim, String certSha256, String certSubject, String certSan) {

  public static final ConsumerIdentities NONE = new ConsumerIdentities(null, null, null, null);

  public ConsumerIdentities {
    if (certSha256 != null && !certSha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("client_cert_sha256 must be 64 lowercase hex characters");
    }
  }

  public boolean isEmpty() {
    return jwtClaim == null && certSha256 == null && certSubject == null && certSan == null;
  }
}
