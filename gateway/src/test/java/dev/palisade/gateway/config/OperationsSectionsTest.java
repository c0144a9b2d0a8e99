package dev.palisade.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code admin} and {@code lifecycle} config sections. */
class OperationsSectionsTest {

  static final String BASE = """
      providers:
        - {name: p, protocol: openai, base_url: "http://127.0.0.1:1/v1", keys: [{id: k, value: plain-key-000}]}
      routes:
        - {match: "*", targets: [{provider: p}]}
      consumers:
        - {name: c, key_sha256: %s, models: ["*"]}
      """.formatted("b".repeat(64));

  @TempDir Path dir;

  GatewayConfig load(String extra) {
    try {
      Path file = dir.resolve("gateway.yaml");
      Files.writeString(file, BASE + extra);
      return new ConfigLoader(new SecretResolver(Optional.empty(), true)).load(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void defaultsWithoutTheSections() {
    GatewayConfig c = load("");
    assertNull(c.admin(), "the admin API is off unless configured");
    assertEquals(LifecycleConfig.DEFAULT, c.lifecycle());
    assertEquals(Duration.ofSeconds(25), c.lifecycle().drainTimeout());
  }

  @Test
  void parsesBothSections() {
    GatewayConfig c = load("""
        admin:
          host: 0.0.0.0
          port: 9191
          audit_log: /var/log/palisade/audit.jsonl
          tokens: [{id: ops, sha256: %s}]
        lifecycle: {drain_timeout: 40s, watch_config: false, poll_interval: 2s, debounce: 1s}
        """.formatted("C".repeat(64)));
    assertEquals(9191, c.admin().port());
    assertEquals("c".repeat(64), c.admin().tokens().get(0).sha256(), "hashes are normalised to lower case");
    assertEquals(Path.of("/var/log/palisade/audit.jsonl"), c.admin().auditLog());
    assertEquals(new LifecycleConfig(Duration.ofSeconds(40), false, Duration.ofSeconds(2), Duration.ofSeconds(1)),
        c.lifecycle());
  }

  @Test
  void errorsNameTheFieldAndLine() {
    ConfigException plain = assertThrows(ConfigException.class, () -> load("""
        admin:
          audit_log: a.jsonl
          tokens: [{id: ops, sha256: my-admin-token}]
        """));
    assertTrue(plain.getMessage().contains(":9: admin.tokens[0].sha256: expected the SHA-256"), plain.getMessage());
    ConfigException noAudit = assertThrows(ConfigException.class, () -> load("admin: {port: 9000}\n"));
    assertTrue(noAudit.getMessage().contains("missing required field 'audit_log'"), noAudit.getMessage());
    ConfigException poll = assertThrows(ConfigException.class, () -> load("lifecycle: {poll_interval: 10ms}\n"));
    assertTrue(poll.getMessage().contains("lifecycle") && poll.getMessage().contains("poll_interval"),
        poll.getMessage());
    ConfigException typo = assertThrows(ConfigException.class, () -> load("lifecycle: {drain: 5s}\n"));
    assertTrue(typo.getMessage().contains("drain"), typo.getMessage());
  }
}
