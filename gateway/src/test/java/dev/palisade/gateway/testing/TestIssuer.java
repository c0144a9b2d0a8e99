package dev.palisade.gateway.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A stand-in identity provider: RSA and EC key pairs from the JDK, tokens signed with them, and
 * a JWKS served over real HTTP (the JDK's built-in server) whose contents a test can rotate.
 */
public final class TestIssuer implements AutoCloseable {

  public static final String ISSUER = "https://idp.palisade.test";
  public static final String AUDIENCE = "palisade-gateway";

  /** A signing key: its kid, JDK key pair and algorithm. */
  public record SigningKey(String kid, KeyPair pair, JWSAlgorithm alg) {
    JWK publicJwk() {
      if (alg.getName().startsWith("ES")) {
        return new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).keyID(kid).algorithm(alg).build();
      }
      return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID(kid).algorithm(alg).build();
    }
  }

  private final HttpServer server;
  private final AtomicInteger fetches = new AtomicInteger();
  private volatile List<SigningKey> published = new ArrayList<>();

  private TestIssuer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/jwks.json", exchange -> {
      fetches.incrementAndGet();
      byte[] body = jwks().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("content-type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  public static TestIssuer start() throws IOException {
    return new TestIssuer();
  }

  public String jwksUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
  }

  public int fetches() {
    return fetches.get();
  }

  /** Replaces the served key set (a rotation). */
  public void publish(SigningKey... keys) {
    published = List.of(keys);
  }

  public String jwks() {
    return new JWKSet(published.stream().map(SigningKey::publicJwk).toList()).toString();
  }

  public static SigningKey rsa(String kid) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return new SigningKey(kid, g.generateKeyPair(), JWSAlgorithm.RS256);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static SigningKey ec(String kid) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return new SigningKey(kid, g.generateKeyPair(), JWSAlgorithm.ES256);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Claims as a normal token has them, valid for five minutes from now. */
  public static JWTClaimsSet.Builder claims(String subject) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(subject)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now.minusSeconds(1)))
        .expirationTime(Date.from(now.plusSeconds(300)));
  }

  public static String sign(SigningKey key, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(
          new JWSHeader.Builder(key.alg()).keyID(key.kid()).type(JOSEObjectType.JWT).build(), claims);
      if (key.alg().getName().startsWith("ES")) {
        jwt.sign(new ECDSASigner((ECPrivateKey) key.pair().getPrivate()));
      } else {
        jwt.sign(new RSASSASigner((RSAPrivateKey) key.pair().getPrivate()));
      }
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token ({@code alg: none}) with the given claims. */
  public static String unsigned(JWTClaimsSet claims) {
    return b64(Map.of("alg", "none", "typ", "JWT")) + "." + b64(claims.toJSONObject()) + ".";
  }

  /**
   * The classic key-confusion attack: an HS256 token whose HMAC secret is the issuer's public
   * RSA key (which anyone can read from the JWKS), hoping the verifier treats it as a MAC key.
   */
  public static String hmacWithPublicKey(SigningKey key, JWTClaimsSet claims) {
    try {
      String signingInput = b64(Map.of("alg", "HS256", "typ", "JWT", "kid", key.kid())) + "." + b64(claims.toJSONObject());
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.pair().getPublic().getEncoded(), "HmacSHA256"));
      byte[] sig = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(Map<String, Object> json) {
    String text = com.nimbusds.jose.util.JSONObjectUtils.toJSONString(json);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
