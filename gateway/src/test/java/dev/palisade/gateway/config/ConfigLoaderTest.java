package dev.palisade.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.gateway.secrets.MasterKeyRing;
import dev.palisade.gateway.secrets.SecretCipher;
import dev.palisade.gateway.secrets.SecretException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  static final String HASH = "a".repeat(64);
  static final String VALID = """
      server:
        port: 9000
        disconnect_policy: drain
      providers:
        - name: openai
          protocol: openai
          base_url: https://api.openai.com/v1/
          first_byte_timeout: 20s
          keys:
            - id: k1
              value: KEYVALUE
          key_pool:
            cooldown: 500ms
            block_after_failures: 2
      routes:
        - match: gpt-4o
          targets:
            - provider: openai
              model: gpt-4o-2024-08-06
      consumers:
        - name: team-a
          key_sha256: %s
          models: ["gpt-*"]
          limits:
            tokens_per_day: 1_000_000
      """;

  @TempDir Path dir;

  GatewayConfig load(String yaml, SecretResolver secrets) throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, yaml);
    return new ConfigLoader(secrets).load(file);
  }

  ConfigException error(String yaml) throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, yaml);
    return assertThrows(ConfigException.class,
        () -> new ConfigLoader(new SecretResolver(Optional.empty(), true)).load(file));
  }

  String valid() {
    return VALID.formatted(HASH).replace("KEYVALUE", "sk-plain");
  }

  @Test
  void aCompleteConfigLoads() throws Exception {
    GatewayConfig c = load(valid(), new SecretResolver(Optional.empty(), true));
    assertEquals(9000, c.server().port());
    assertEquals(DisconnectPolicy.DRAIN, c.server().disconnectPolicy());
    ProviderConfig p = c.providers().get(0);
    assertEquals("https://api.openai.com/v1", p.baseUrl().toString(), "trailing slash trimmed");
    assertEquals(Duration.ofSeconds(20), p.firstByteTimeout());
    assertEquals(Duration.ofMillis(500), p.keyPool().cooldown());
    assertEquals(2, p.keyPool().blockAfterFailures());
    assertEquals("sk-plain", p.keys().get(0).value().reveal());
    assertEquals(1_000_000, c.consumers().get(0).limits().tokensPerDay());
  }

  @Test
  void errorsNameTheFileLineAndField() throws Exception {
    String file = dir.resolve("gateway.yaml").toString();
    assertEquals(file + ":6: providers[0].protocl: unknown field; allowed here: api_version, base_url,"
            + " connect_timeout, first_byte_timeout, idle_timeout, key_pool, keys, name, protocol, tls",
        error(valid().replace("    protocol: openai", "    protocl: openai")).getMessage());
    assertEquals(file + ":8: providers[0].first_byte_timeout: expected a duration such as 500ms, 30s, 5m or 1h, got '20 seconds'",
        error(valid().replace("20s", "20 seconds")).getMessage());
    assertEquals(file + ":18: routes[0].targets[0].provider: no provider named 'openia'; known: [openai]",
        error(valid().replace("- provider: openai", "- provider: openia")).getMessage());
    assertEquals(file + ":6: providers[0].protocol: expected one of openai, azure-openai, anthropic, got 'gemini'",
        error(valid().replace("protocol: openai", "protocol: gemini")).getMessage());
    assertEquals(file + ":2: server.port: must be between 0 and 65535, got 99999",
        error(valid().replace("9000", "99999")).getMessage());
    assertTrue(error(valid().replace(HASH, "abc")).getMessage()
        .startsWith(file + ":22: consumers[0].key_sha256: expected the SHA-256"));
    assertEquals(file + ":16: routes[0]: missing required field 'targets'",
        error(valid().replace("    targets:\n      - provider: openai\n        model: gpt-4o-2024-08-06\n", "")).getMessage());
    assertEquals(file + ":23: consumers[0].models[0]: 'gpt-*-mini': '*' is allowed only at the end (prefix wildcard) or alone (catch-all)",
        error(valid().replace("\"gpt-*\"", "\"gpt-*-mini\"")).getMessage());
    assertTrue(error("providers: [\n").getMessage().startsWith(file + ":2: not valid YAML"));
    assertEquals(file + ": the config is empty", error("").getMessage());
  }

  @Test
  void plaintextKeysAreRefusedUnlessAllowed() throws Exception {
    SecretException e = assertThrows(SecretException.class,
        () -> load(valid(), new SecretResolver(Optional.empty(), false)));
    String file = dir.resolve("gateway.yaml").toString();
    assertEquals(file + ":11: providers[0].keys[0].value: plaintext provider key refused; encrypt it with"
        + " 'gateway secrets encrypt' or start with --allow-plaintext-secrets", e.getMessage());
    assertTrue(!e.getMessage().contains("sk-plain"));
  }

  @Test
  void encryptedKeysDecryptAndAWrongMasterKeyIsNamed() throws Exception {
    MasterKeyRing ring = MasterKeyRing.parse(MasterKeyRing.generate("k1"), "test");
    String yaml = VALID.formatted(HASH).replace("KEYVALUE", new SecretCipher(ring).encrypt("sk-secret"));
    GatewayConfig c = load(yaml, new SecretResolver(Optional.of(ring), false));
    assertEquals("sk-secret", c.providers().get(0).keys().get(0).value().reveal());

    MasterKeyRing wrong = MasterKeyRing.parse(MasterKeyRing.generate("k1"), "test");
    SecretException e = assertThrows(SecretException.class,
        () -> load(yaml, new SecretResolver(Optional.of(wrong), false)));
    String file = dir.resolve("gateway.yaml").toString();
    assertEquals(file + ":11: providers[0].keys[0].value: does not decrypt with master key 'k1':"
        + " wrong master key or a corrupted value", e.getMessage());
    SecretException missing = assertThrows(SecretException.class,
        () -> load(yaml, new SecretResolver(Optional.empty(), false)));
    assertTrue(missing.getMessage().contains("set " + MasterKeyRing.ENV_VAR + " or pass --master-key-file FILE"));
  }
}
