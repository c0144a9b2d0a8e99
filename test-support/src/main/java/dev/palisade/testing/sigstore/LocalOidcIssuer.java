package dev.palisade.testing.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * An OIDC issuer that mints ES256 ID tokens, as GitHub Actions' token endpoint or any login
 * provider would; {@link LocalFulcioServer} checks them with {@link #verify}. The issuer URL is
 * only a name here (for example {@code https://token.actions.githubusercontent.com}): nothing
 * fetches its discovery document, the Fulcio that trusts it holds its key directly.
 */
public final class LocalOidcIssuer {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String issuer;
  private final KeyPair key = EcKeys.generate();

  public LocalOidcIssuer(String issuer) {
    this.issuer = issuer;
  }

  public String issuer() {
    return issuer;
  }

  /** A token for {@code subject} with audience {@code sigstore}, valid five minutes, plus extra claims. */
  public String token(String subject, Map<String, String> claims) {
    Instant now = Instant.now();
    ObjectNode payload = JSON.createObjectNode();
    payload.put("iss", issuer);
    payload.put("sub", subject);
    payload.put("aud", "sigstore");
    payload.put("iat", now.getEpochSecond());
    payload.put("exp", now.plus(Duration.ofMinutes(5)).getEpochSecond());
    claims.forEach(payload::put);
    String signingInput = b64url("{\"alg\":\"ES256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64url(payload.toString().getBytes(StandardCharsets.UTF_8));
    try {
      Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
      signature.initSign(key.getPrivate());
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64url(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The token's claims if it is one of ours: signature, issuer, audience {@code sigstore}, not
   * expired. Throws IllegalArgumentException naming what is wrong otherwise.
   */
  public JsonNode verify(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      throw new IllegalArgumentException("not a compact JWS");
    }
    try {
      Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
      signature.initVerify(key.getPublic());
      signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!signature.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        throw new IllegalArgumentException("token signature is not from " + issuer);
      }
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      if (!issuer.equals(claims.path("iss").asText())) {
        throw new IllegalArgumentException("token issuer is " + claims.path("iss").asText() + ", not " + issuer);
      }
      if (!"sigstore".equals(claims.path("aud").asText())) {
        throw new IllegalArgumentException("token audience is not sigstore");
      }
      if (claims.path("exp").asLong() < Instant.now().getEpochSecond()) {
        throw new IllegalArgumentException("token expired");
      }
      return claims;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("token cannot be verified: " + e.getMessage(), e);
    }
  }

  private static String b64url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
