package dev.palisade.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.gateway.secrets.MasterKeyRing;
import dev.palisade.gateway.secrets.SecretCipher;
import dev.palisade.gateway.secrets.SecretException;
import dev.palisade.gateway.testing.Pki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The security parts of the config: auth, limits, TLS; every error names file, line and field. */
class SecurityConfigTest {

  static final String HASH = "a".repeat(64);
  static final String JWKS = """
      {"keys":[{"kty":"EC","crv":"P-256","kid":"ec-1",
      "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}
      """;

  @TempDir static Path dir;
  static Pki pki;
  static Pki.Leaf server;
  static Pki.Leaf encrypted;
  static MasterKeyRing ring = MasterKeyRing.parse(MasterKeyRing.generate("k1"), "test");

  @BeforeAll
  static void certificates() throws Exception {
    pki = Pki.create(dir, "cfg");
    server = pki.server("server", null);
    encrypted = pki.server("encrypted", "s3cret-pass");
    Files.writeString(dir.resolve("jwks.json"), JWKS);
  }

  static String base(String top, String consumer) {
    return top + """
        providers:
          - name: openai
            protocol: openai
            base_url: https://api.openai.com/v1
            keys:
              - id: k1
                value: sk-plain
        routes:
          - match: "*"
            targets:
              - provider: openai
        consumers:
          - name: team-a
        """ + consumer + """
            models: ["*"]
        """;
  }

  static final String JWT_AUTH = """
      auth:
        methods: [key, jwt]
        jwt:
          jwks_file: jwks.json
          issuer: https://idp.example
          audience: palisade
      """;

  GatewayConfig load(String yaml) throws Exception {
    return load(yaml, new SecretResolver(Optional.empty(), true));
  }

  GatewayConfig load(String yaml, SecretResolver secrets) throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, yaml);
    return new ConfigLoader(secrets).load(file);
  }

  /** The error, checked to start with {@code gateway.yaml:LINE: FIELD: } for the line holding {@code marker}. */
  void assertError(String yaml, String marker, String field, String words) throws Exception {
    ConfigException e = assertThrows(ConfigException.class, () -> load(yaml));
    int line = lineOf(yaml, marker);
    assertTrue(e.getMessage().contains("gateway.yaml:" + line + ": " + field + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(words), e.getMessage());
  }

  static int lineOf(String yaml, String marker) {
    List<String> lines = yaml.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(marker)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line with " + marker);
  }

  @Test
  void defaultsKeepTheOldBehaviour() throws Exception {
    GatewayConfig c = load(base("", "    key_sha256: " + HASH + "\n"));
    assertEquals(AuthConfig.KEYS_ONLY, c.auth());
    assertEquals(4L * 1024 * 1024, c.limits().maxBodyBytes());
    assertEquals(c.limits().maxBodyBytes(), c.server().maxBodyBytes());
    assertNull(c.server().tls());
  }

  @Test
  void jwtAuthWithDefaultsAndAConsumerWithoutKey() throws Exception {
    GatewayConfig c = load(base(JWT_AUTH, "    jwt_claim: svc-a\n"));
    JwtConfig jwt = c.auth().jwt();
    assertEquals(dir.resolve("jwks.json"), jwt.jwksFile(), "relative to the config file");
    assertEquals(Set.of("RS256", "ES256"), jwt.algorithms());
    assertEquals("sub", jwt.consumerClaim());
    assertEquals(Duration.ofSeconds(30), jwt.clockSkew());
    assertNull(c.consumers().get(0).keySha256());
    assertEquals("svc-a", c.consumers().get(0).identities().jwtClaim());
  }

  @Test
  void noneAndHmacAlgorithmsAreRefused() throws Exception {
    for (String alg : List.of("none", "HS256")) {
      String yaml = base(JWT_AUTH + "    algorithms: [RS256,\n      " + alg + "]\n", "    jwt_claim: svc-a\n");
      assertError(yaml, "      " + alg + "]", "auth.jwt.algorithms[1]", "is never accepted");
    }
  }

  @Test
  void jwksOverPlainHttpIsRefusedExceptOnLoopback() throws Exception {
    String yaml = base(JWT_AUTH.replace("jwks_file: jwks.json", "jwks_url: http://idp.example/jwks"),
        "    jwt_claim: svc-a\n");
    assertError(yaml, "jwks_url", "auth.jwt.jwks_url", "expected an https:// URL");
    load(base(JWT_AUTH.replace("jwks_file: jwks.json", "jwks_url: http://127.0.0.1:1/jwks"), "    jwt_claim: svc-a\n"));
  }

  @Test
  void aBrokenJwksFileStopsTheStart() throws Exception {
    Files.writeString(dir.resolve("broken.json"), "{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}");
    String yaml = base(JWT_AUTH.replace("jwks.json", "broken.json"), "    jwt_claim: svc-a\n");
    assertError(yaml, "jwks_file", "auth.jwt.jwks_file", "holds no public key");
  }

  @Test
  void consumerCredentialsMustMatchTheEnabledMethods() throws Exception {
    assertError(base("", "    jwt_claim: svc-a\n"), "jwt_claim", "consumers[0].jwt_claim",
        "'jwt' is not in auth.methods");
    assertError(base("", "    models_typo: x\n"), "models_typo", "consumers[0].models_typo", "unknown field");
    String noCredential = base("", "");
    ConfigException e = assertThrows(ConfigException.class, () -> load(noCredential));
    assertTrue(e.getMessage().contains("consumers[0]: a consumer needs a credential"), e.getMessage());
  }

  @Test
  void aJwtClaimValueNamesOneConsumerOnly() throws Exception {
    String yaml = base(JWT_AUTH, "    jwt_claim: svc-a\n").replace("""
        consumers:
        """, """
        consumers:
          - name: first
            jwt_claim: svc-a
            models: ["*"]
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> load(yaml));
    assertTrue(e.getMessage().contains("consumers[1]: another consumer already has this jwt_claim"), e.getMessage());
  }

  String tls(String extra) {
    return "server:\n  tls:\n    cert_file: server.pem\n    key_file: server.key\n" + extra;
  }

  @Test
  void clientCertificatesNeedATlsListenerThatAsksForThem() throws Exception {
    String auth = "auth:\n  methods: [client_cert]\n  client_cert:\n    match: subject\n";
    assertError(base(auth, "    client_cert_subject: CN=team-a\n"), "methods: [client_cert]", "auth", "needs server.tls");
    GatewayConfig c = load(base(tls("    client_ca_file: cfg-ca.pem\n") + auth,
        "    client_cert_subject: \"cn=team-a,  o=Example\"\n"));
    assertEquals(ClientAuthMode.REQUIRED, c.server().tls().clientAuth(), "a client CA defaults to required");
    assertEquals("CN=team-a,O=Example", c.consumers().get(0).identities().certSubject(), "normalized");
    assertError(base(tls("    client_ca_file: cfg-ca.pem\n") + auth, "    client_cert_sha256: " + HASH + "\n"),
        "client_cert_sha256", "consumers[0].client_cert_sha256", "this field is for match fingerprint");
    assertError(base(tls("    client_auth: request\n"), "    key_sha256: " + HASH + "\n"),
        "client_auth", "server.tls.client_auth", "needs client_ca_file");
  }

  @Test
  void tlsFilesAreCheckedAtLoad() throws Exception {
    assertError(base(tls("").replace("server.pem", "missing.pem"), "    key_sha256: " + HASH + "\n"),
        "cert_file", "server.tls.cert_file", "no readable file");
    assertError(base(tls("").replace("server.key", "server.pem"), "    key_sha256: " + HASH + "\n"),
        "key_file", "server.tls.key_file", "holds no PEM private key");
    assertError(base(tls("").replace("server.key", "encrypted.key"), "    key_sha256: " + HASH + "\n"),
        "key_file", "server.tls.key_file", "the key is encrypted; set key_password");
  }

  @Test
  void keyPasswordsGoThroughTheSecretResolver() throws Exception {
    SecretCipher cipher = new SecretCipher(ring);
    String provider = "sk-plain";
    String yaml = base(tls("    key_password: PASSWORD\n").replace("server.key", "encrypted.key"),
        "    key_sha256: " + HASH + "\n").replace(provider, cipher.encrypt(provider));
    SecretResolver strict = new SecretResolver(Optional.of(ring), false);
    GatewayConfig ok = load(yaml.replace("PASSWORD", cipher.encrypt("s3cret-pass")), strict);
    assertEquals("s3cret-pass", ok.server().tls().keyPassword().reveal());
    SecretException plain = assertThrows(SecretException.class, () -> load(yaml.replace("PASSWORD", "s3cret-pass"), strict));
    assertTrue(plain.getMessage().contains("plaintext key password refused"), plain.getMessage());
    assertTrue(!plain.getMessage().contains("s3cret-pass"));
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, yaml.replace("PASSWORD", cipher.encrypt("wrong-pass")));
    ConfigException wrong = assertThrows(ConfigException.class, () -> new ConfigLoader(strict).load(file));
    assertTrue(wrong.getMessage().contains("server.tls.key_file: ") && wrong.getMessage().contains("wrong key_password"),
        wrong.getMessage());
  }

  @Test
  void providerTlsNeedsHttps() throws Exception {
    String yaml = base("", "    key_sha256: " + HASH + "\n")
        .replace("https://api.openai.com/v1", "http://127.0.0.1:9/v1")
        .replace("    keys:\n", "    tls:\n      ca_file: cfg-ca.pem\n    keys:\n");
    assertError(yaml, "ca_file: cfg-ca.pem", "providers[0].tls", "needs an https:// base_url");
    String half = base("", "    key_sha256: " + HASH + "\n")
        .replace("    keys:\n", "    tls:\n      cert_file: server.pem\n    keys:\n");
    assertError(half, "cert_file: server.pem", "providers[0].tls", "cert_file and key_file go together");
  }

  @Test
  void limitsAreValidated() throws Exception {
    GatewayConfig c = load(base("limits:\n  max_body_bytes: 1_048_576\n  max_messages: 50\n",
        "    key_sha256: " + HASH + "\n"));
    assertEquals(1_048_576, c.server().maxBodyBytes());
    assertEquals(50, c.limits().maxMessages());
    assertEquals(32, c.limits().maxJsonDepth());
    assertError(base("limits:\n  max_json_depth: 2000\n", "    key_sha256: " + HASH + "\n"),
        "max_json_depth", "limits.max_json_depth", "must be between 4 and 1000");
    assertError(base("server:\n  max_body_bytes: 2048\nlimits:\n  max_body_bytes: 4096\n", "    key_sha256: " + HASH + "\n"),
        "  max_body_bytes: 4096", "limits.max_body_bytes", "also set as server.max_body_bytes (line 2)");
  }
}
