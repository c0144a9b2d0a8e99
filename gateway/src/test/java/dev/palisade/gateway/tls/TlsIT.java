package dev.palisade.gateway.tls;

import static dev.palisade.gateway.testing.GatewayHarness.HASH_A;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.gateway.config.SecretResolver;
import dev.palisade.gateway.secrets.MasterKeyRing;
import dev.palisade.gateway.secrets.SecretCipher;
import dev.palisade.gateway.testing.FakeProvider;
import dev.palisade.gateway.testing.GatewayHarness;
import dev.palisade.gateway.testing.Pki;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS termination with client certificates, and mTLS to a provider, with certificates made by
 * openssl and real clients (the JDK's HttpClient and curl).
 */
class TlsIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String KEY_PASSWORD = "correct horse battery staple";

  @TempDir static Path dir;
  static Pki pki;
  static Pki foreign;
  static Pki.Leaf serverCert;
  static Pki.Leaf teamC;
  static Pki.Leaf stranger;
  static Pki.Leaf svcD;
  static Pki.Leaf outsider;
  static SecretCipher cipher;
  static FakeProvider upstream;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    pki = Pki.create(dir, "palisade");
    foreign = Pki.create(dir, "foreign");
    serverCert = pki.server("gateway-server", KEY_PASSWORD);
    teamC = pki.client("team-c", "/CN=team-c/O=Palisade Test", "DNS:team-c.palisade.test", null);
    stranger = pki.client("stranger", "/CN=stranger", "DNS:stranger.palisade.test", null);
    svcD = pki.client("svc-d", "/CN=svc-d", "URI:spiffe://palisade.test/svc-d", null);
    outsider = foreign.client("outsider", "/CN=team-c/O=Palisade Test", "DNS:team-c.palisade.test", null);
    MasterKeyRing ring = MasterKeyRing.parse(MasterKeyRing.generate("k1"), "test");
    cipher = new SecretCipher(ring);
    upstream = FakeProvider.start("primary");
    gateway = GatewayHarness.start("""
        server:
          host: 127.0.0.1
          port: 0
          event_loops: 1
          tls:
            cert_file: %s
            key_file: %s
            key_password: %s
            client_ca_file: %s
            client_auth: request
        auth:
          methods: [client_cert, key]
          client_cert:
            match: fingerprint
        providers:
          - name: primary
            protocol: openai
            base_url: %s
            keys:
              - id: p1
                value: %s
        routes:
          - match: "*"
            targets:
              - provider: primary
        consumers:
          - name: team-a
            key_sha256: %s
            models: ["*"]
          - name: team-c
            client_cert_sha256: "%s"
            models: ["*"]
        """.formatted(serverCert.cert(), serverCert.key(), cipher.encrypt(KEY_PASSWORD), pki.caCert(),
        upstream.baseUrl(), cipher.encrypt("sk-primary-one"), HASH_A, colons(teamC.sha256())),
        new SecretResolver(Optional.of(ring), false));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  /** The fingerprint as openssl prints it (AB:CD:...), which the config accepts too. */
  static String colons(String hex) {
    return hex.toUpperCase().replaceAll("(..)(?!$)", "$1:");
  }

  static HttpResponse<String> chat(GatewayHarness g, SSLContext ssl, String key) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5))
        .version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + g.port() + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(CHAT));
    if (key != null) {
      b.header("authorization", "Bearer " + key);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aKnownClientCertificateIsItsConsumer() throws Exception {
    HttpResponse<String> r = chat(gateway, pki.trusting(teamC), null);
    assertEquals(200, r.statusCode(), r.body());
  }

  @Test
  void anUnknownCertificateFromTheTrustedCaIsRefused() throws Exception {
    HttpResponse<String> r = chat(gateway, pki.trusting(stranger), null);
    assertEquals(401, r.statusCode(), r.body());
    assertTrue(r.body().contains("does not belong to any consumer"), r.body());
  }

  @Test
  void withoutACertificateAKeyStillWorksAndNothingIsRefusedPolitely() throws Exception {
    assertEquals(200, chat(gateway, pki.trusting(), KEY_A).statusCode());
    HttpResponse<String> none = chat(gateway, pki.trusting(), null);
    assertEquals(401, none.statusCode());
    assertTrue(none.body().contains("TLS client certificate"), none.body());
  }

  @Test
  void aCertificateFromAnotherCaNeverAuthenticates() throws Exception {
    // Same subject and SAN as team-c, but signed by a CA the gateway does not trust. The JDK
    // client sees that CA is not among those the server asks for and sends no certificate...
    HttpResponse<String> jdk = chat(gateway, pki.trusting(outsider), null);
    assertEquals(401, jdk.statusCode(), jdk.body());
    // ...curl sends it anyway, and the handshake fails.
    CurlResult forced = curl("--cert", outsider.cert().toString(), "--key", outsider.key().toString());
    assertTrue(forced.exit() != 0, "curl with an untrusted certificate must fail: " + forced.out());
  }

  record CurlResult(int exit, String out) {}

  static CurlResult curl(String... extra) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(dev.palisade.gateway.testing.Pki.curl(), "-sS", "--fail-with-body",
        "--cacert", pki.caCert().toString(), "-H", "content-type: application/json", "--data", CHAT));
    command.addAll(List.of(extra));
    command.add("https://127.0.0.1:" + gateway.port() + "/v1/chat/completions");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return new CurlResult(p.exitValue(), out);
  }

  @Test
  void plainHttpToTheTlsPortGetsNoAnswer() {
    assertThrows(Exception.class, () -> HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/healthz"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void curlWithAClientCertificate() throws Exception {
    CurlResult r = curl("--cert", teamC.cert().toString(), "--key", teamC.key().toString());
    assertEquals(0, r.exit(), r.out());
    assertEquals("chat.completion", JSON.readTree(r.out()).path("object").asText(), r.out());
  }

  @Test
  void requiredClientAuthMatchedBySanAndBySubject() throws Exception {
    for (String match : List.of("san", "subject")) {
      String consumer = match.equals("san")
          ? "client_cert_san: spiffe://palisade.test/svc-d"
          : "client_cert_subject: \"CN=svc-d\"";
      try (GatewayHarness g = GatewayHarness.start("""
          server:
            host: 127.0.0.1
            port: 0
            event_loops: 1
            tls:
              cert_file: %s
              key_file: %s
              key_password: %s
              client_ca_file: %s
              client_auth: required
          auth:
            methods: [client_cert]
            client_cert:
              match: %s
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
            - name: svc-d
              %s
              models: ["*"]
          """.formatted(serverCert.cert(), serverCert.key(), KEY_PASSWORD, pki.caCert(), match,
          upstream.baseUrl(), consumer))) {
        assertEquals(200, chat(g, pki.trusting(svcD), null).statusCode(), match);
        assertEquals(401, chat(g, pki.trusting(teamC), null).statusCode(), match);
        assertThrows(IOException.class, () -> chat(g, pki.trusting(), null), "required: no certificate, no handshake");
      }
    }
  }

  @Test
  void upstreamMtlsPresentsTheConfiguredClientCertificate() throws Exception {
    Pki.Leaf providerCert = pki.server("provider", null);
    Pki.Leaf gatewayClient = pki.client("gateway-client", "/CN=gateway-egress", "DNS:gateway.palisade.test", KEY_PASSWORD);
    HttpServerOptions tls = new HttpServerOptions().setSsl(true).setClientAuth(ClientAuth.REQUIRED);
    tls.setKeyCertOptions(new PemKeyCertOptions().setCertPath(providerCert.cert().toString())
        .setKeyPath(providerCert.key().toString()));
    tls.setTrustOptions(new PemTrustOptions().addCertPath(pki.caCert().toString()));
    try (FakeProvider secure = FakeProvider.start("secure", tls);
        GatewayHarness g = GatewayHarness.start("""
            server:
              host: 127.0.0.1
              port: 0
              event_loops: 1
            providers:
              - name: with-cert
                protocol: openai
                base_url: %1$s
                tls:
                  ca_file: %2$s
                  cert_file: %3$s
                  key_file: %4$s
                  key_password: %5$s
                keys:
                  - id: p1
                    value: sk-secure-one
              - name: without-cert
                protocol: openai
                base_url: %1$s
                connect_timeout: 2s
                tls:
                  ca_file: %2$s
                keys:
                  - id: p2
                    value: sk-secure-two
            routes:
              - match: gpt-4o
                targets:
                  - provider: with-cert
              - match: no-cert
                targets:
                  - provider: without-cert
            consumers:
              - name: team-a
                key_sha256: %6$s
                models: ["*"]
            """.formatted(secure.baseUrl(), pki.caCert(), gatewayClient.cert(), gatewayClient.key(),
            KEY_PASSWORD, HASH_A))) {
      HttpResponse<String> ok = g.post("/v1/chat/completions", KEY_A, CHAT);
      assertEquals(200, ok.statusCode(), ok.body());
      assertEquals(1, secure.received().size());
      HttpResponse<String> refused = g.post("/v1/chat/completions", KEY_A, CHAT.replace("gpt-4o", "no-cert"));
      assertEquals(502, refused.statusCode(), refused.body());
      assertEquals(1, secure.received().size(), "the provider never saw the request without a certificate");
    }
  }
}
