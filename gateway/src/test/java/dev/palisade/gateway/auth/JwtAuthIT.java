package dev.palisade.gateway.auth;

import static dev.palisade.gateway.testing.GatewayHarness.HASH_A;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.palisade.gateway.testing.FakeProvider;
import dev.palisade.gateway.testing.GatewayHarness;
import dev.palisade.gateway.testing.TestIssuer;
import dev.palisade.gateway.testing.TestIssuer.SigningKey;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JWT consumer authentication end to end: tokens signed in the test with JDK RSA and EC keys, a
 * JWKS served over real HTTP, the real gateway and a fake upstream.
 */
class JwtAuthIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final SigningKey RSA_1 = TestIssuer.rsa("rsa-1");
  static final SigningKey EC_1 = TestIssuer.ec("ec-1");

  static FakeProvider upstream;
  static TestIssuer issuer;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    upstream = FakeProvider.start("primary");
    issuer = TestIssuer.start();
    issuer.publish(RSA_1, EC_1);
    gateway = GatewayHarness.start(config("jwks_url: " + issuer.jwksUrl()));
  }

  static String config(String jwksLine) {
    return """
        server:
          host: 127.0.0.1
          port: 0
          event_loops: 2
        auth:
          methods: [key, jwt]
          jwt:
            %s
            issuer: %s
            audience: %s
            algorithms: [RS256, ES256]
            clock_skew: 5s
            jwks_refresh_min_interval: 1s
            jwks_fetch_timeout: 2s
        providers:
          - name: primary
            protocol: openai
            base_url: %s
            keys:
              - id: p1
                value: sk-primary-one
        routes:
          - match: "*"
            targets:
              - provider: primary
        consumers:
          - name: team-a
            key_sha256: %s
            models: ["*"]
          - name: svc-b
            jwt_claim: svc-b
            models: ["gpt-4o"]
        """.formatted(jwksLine, TestIssuer.ISSUER, TestIssuer.AUDIENCE, upstream.baseUrl(), HASH_A);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    issuer.close();
    upstream.close();
  }

  static HttpResponse<String> chat(String token) {
    return gateway.post("/v1/chat/completions", token, CHAT);
  }

  /** A refusal in OpenAI's shape, with the expected words, that does not echo the token. */
  static void assertRefused(HttpResponse<String> r, String token, String words) throws Exception {
    assertEquals(401, r.statusCode(), r.body());
    JsonNode error = JSON.readTree(r.body()).path("error");
    assertEquals("invalid_api_key", error.path("code").asText());
    assertTrue(error.path("message").asText().contains(words), error.path("message").asText());
    assertFalse(r.body().contains(token), "the error body must not echo the token");
    for (String part : token.split("\\.")) {
      if (part.length() > 8) {
        assertFalse(r.body().contains(part), "the error body must not echo any part of the token");
      }
    }
  }

  @Test
  void rs256AndEs256TokensNameTheirConsumer() throws Exception {
    for (SigningKey key : new SigningKey[] {RSA_1, EC_1}) {
      int before = upstream.received().size();
      HttpResponse<String> r = chat(TestIssuer.sign(key, TestIssuer.claims("svc-b").build()));
      assertEquals(200, r.statusCode(), key.alg() + ": " + r.body());
      assertEquals(before + 1, upstream.received().size());
    }
    // svc-b may use gpt-4o only: the consumer the claim named is the one whose rules apply.
    HttpResponse<String> other = gateway.post("/v1/chat/completions",
        TestIssuer.sign(RSA_1, TestIssuer.claims("svc-b").build()),
        CHAT.replace("gpt-4o", "gpt-4o-mini"));
    assertEquals(403, other.statusCode(), other.body());
  }

  @Test
  void gatewayKeysStillWorkNextToJwt() {
    assertEquals(200, chat(KEY_A).statusCode());
    assertEquals(401, chat("pgw-not-a-known-key").statusCode());
  }

  @Test
  void wrongIssuerOrAudienceIsRefused() throws Exception {
    String wrongIssuer = TestIssuer.sign(RSA_1, TestIssuer.claims("svc-b").issuer("https://evil.test").build());
    assertRefused(chat(wrongIssuer), wrongIssuer, "issuer");
    String wrongAudience = TestIssuer.sign(RSA_1, TestIssuer.claims("svc-b").audience("someone-else").build());
    assertRefused(chat(wrongAudience), wrongAudience, "audience");
  }

  @Test
  void expiryAndNotBeforeHonourTheConfiguredSkewOnly() throws Exception {
    Instant now = Instant.now();
    String expired = TestIssuer.sign(RSA_1,
        TestIssuer.claims("svc-b").expirationTime(Date.from(now.minusSeconds(60))).build());
    assertRefused(chat(expired), expired, "expired");
    String withinSkew = TestIssuer.sign(RSA_1,
        TestIssuer.claims("svc-b").expirationTime(Date.from(now.minusSeconds(2))).build());
    assertEquals(200, chat(withinSkew).statusCode(), "2 s past exp is inside the 5 s skew");
    String early = TestIssuer.sign(RSA_1,
        TestIssuer.claims("svc-b").notBeforeTime(Date.from(now.plusSeconds(60))).build());
    assertRefused(chat(early), early, "not valid yet");
    String noExpiry = TestIssuer.sign(RSA_1, new JWTClaimsSet.Builder().issuer(TestIssuer.ISSUER)
        .audience(TestIssuer.AUDIENCE).subject("svc-b").build());
    assertRefused(chat(noExpiry), noExpiry, "lacks a required claim");
  }

  @Test
  void aVerifiedTokenIsRememberedOnlyUntilItExpires() throws Exception {
    // exp 1 s ago is inside the 5 s skew: accepted, and remembered so reuse skips the signature.
    Instant exp = Instant.now().minusSeconds(1);
    String token = TestIssuer.sign(EC_1, TestIssuer.claims("svc-b").expirationTime(Date.from(exp)).build());
    assertEquals(200, chat(token).statusCode());
    assertEquals(200, chat(token).statusCode());
    long wait = exp.plusMillis(5_600).toEpochMilli() - System.currentTimeMillis();
    Thread.sleep(Math.max(0, wait));
    assertRefused(chat(token), token, "expired");
  }

  @Test
  void unsignedAndHmacConfusionTokensAreRefused() throws Exception {
    int before = upstream.received().size();
    String none = TestIssuer.unsigned(TestIssuer.claims("svc-b").build());
    assertRefused(chat(none), none, "refused");
    String confused = TestIssuer.hmacWithPublicKey(RSA_1, TestIssuer.claims("svc-b").build());
    assertRefused(chat(confused), confused, "algorithm is not accepted");
    assertEquals(before, upstream.received().size(), "nothing reached the provider");
  }

  @Test
  void aForgedSignatureOrAnUnknownSubjectIsRefused() throws Exception {
    SigningKey impostor = new SigningKey("rsa-1", TestIssuer.rsa("x").pair(), RSA_1.alg());
    String forged = TestIssuer.sign(impostor, TestIssuer.claims("svc-b").build());
    assertRefused(chat(forged), forged, "signature does not verify");
    String stranger = TestIssuer.sign(RSA_1, TestIssuer.claims("nobody").build());
    assertRefused(chat(stranger), stranger, "names no consumer");
    assertRefused(chat("a.b.c"), "a.b.c", "not a well-formed");
  }

  @Test
  void anUnknownKidFetchesTheRotatedJwksButAtMostOncePerInterval() throws Exception {
    SigningKey rotated = TestIssuer.rsa("rsa-2");
    String token = TestIssuer.sign(rotated, TestIssuer.claims("svc-b").build());
    Thread.sleep(1100); // past the refresh interval left by other tests
    int before = issuer.fetches();
    assertRefused(chat(token), token, "no key of the issuer's key set matches");
    assertEquals(before + 1, issuer.fetches(), "one fetch for the unknown kid");

    // A flood of made-up kids within the interval costs the identity provider nothing more.
    for (int i = 0; i < 20; i++) {
      SigningKey made = new SigningKey("made-up-" + i, RSA_1.pair(), RSA_1.alg());
      assertEquals(401, chat(TestIssuer.sign(made, TestIssuer.claims("svc-b").build())).statusCode());
    }
    assertTrue(issuer.fetches() <= before + 2, "fetches: " + (issuer.fetches() - before));

    issuer.publish(RSA_1, EC_1, rotated);
    Thread.sleep(1100);
    assertEquals(200, chat(token).statusCode(), "the rotated key is fetched and accepted");
    assertEquals(200, chat(TestIssuer.sign(RSA_1, TestIssuer.claims("svc-b").build())).statusCode());
  }

  @Test
  void anUnreachableOrSilentJwksEndpointGives503WithinTheFetchTimeout() throws Exception {
    com.sun.net.httpserver.HttpServer silent =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 4);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    silent.createContext("/jwks.json", exchange -> {
      try {
        release.await(30, java.util.concurrent.TimeUnit.SECONDS); // accepts, never answers in time
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    silent.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    silent.start();
    String token = TestIssuer.sign(RSA_1, TestIssuer.claims("svc-b").build());
    try {
      for (String url : new String[] {
          "http://127.0.0.1:" + silent.getAddress().getPort() + "/jwks.json",
          "http://127.0.0.1:1/jwks.json"}) {
        try (GatewayHarness g = GatewayHarness.start(config("jwks_url: " + url))) {
          long start = System.nanoTime();
          HttpResponse<String> r = g.post("/v1/chat/completions", token, CHAT);
          long ms = (System.nanoTime() - start) / 1_000_000;
          assertEquals(503, r.statusCode(), url + ": " + r.body());
          assertEquals("authentication_unavailable", JSON.readTree(r.body()).path("error").path("code").asText());
          assertFalse(r.body().contains(token));
          assertTrue(ms < 10_000, url + " took " + ms + " ms with a 2 s fetch timeout");
          assertEquals(200, g.post("/v1/chat/completions", KEY_A, CHAT).statusCode(), "keys keep working");
        }
      }
    } finally {
      release.countDown();
      silent.stop(0);
    }
  }

  @Test
  void aJwksFileWorksToo(@TempDir Path dir) throws Exception {
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, issuer.jwks());
    try (GatewayHarness fromFile = GatewayHarness.start(config("jwks_file: " + jwks))) {
      String token = TestIssuer.sign(EC_1, TestIssuer.claims("svc-b").build());
      HttpResponse<String> r = fromFile.post("/v1/chat/completions", token, CHAT);
      assertEquals(200, r.statusCode(), r.body());
    }
  }
}
