package dev.palisade.gateway.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The admin API: its own listener and its own bearer tokens, kept apart from the public port so
 * a network policy (or a Kubernetes Service) can keep it private.
 *
 * @param tokens accepted tokens by SHA-256 (the config never holds a token itself); a token from
 *     {@code $PALISADE_ADMIN_TOKEN} or {@code --admin-token-file} is added at start
 * @param auditLog JSON-lines file every admin change is appended to
 */
public record AdminConfig(String host, int port, List<AdminToken> tokens, Path auditLog) {

  public AdminConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("admin host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("admin port out of range: " + port);
    }
    tokens = List.copyOf(tokens);
    if (auditLog == null) {
      throw new IllegalArgumentException("admin audit_log is required");
    }
  }

  /** An admin token by id (written to the audit log as the actor) and SHA-256. */
  public record AdminToken(String id, String sha256) {
    public AdminToken {
      if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("an admin token hash is 64 lowercase hex characters");
      }
    }
  }
}
