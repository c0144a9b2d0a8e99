package dev.palisade.gateway.admin;

import dev.palisade.gateway.config.AdminConfig.AdminToken;
import dev.palisade.gateway.consumer.ConsumerKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Checks admin bearer tokens against SHA-256 hashes: those in the config (re-read on every call,
 * so a reload can add or retire tokens) and the ones given at start ({@code $PALISADE_ADMIN_TOKEN},
 * {@code --admin-token-file}), which are hashed on arrival and not kept.
 */
public final class AdminTokens {

  private final Supplier<List<AdminToken>> fromConfig;
  private final List<AdminToken> fromStart;

  public AdminTokens(Supplier<List<AdminToken>> fromConfig, List<AdminToken> fromStart) {
    this.fromConfig = fromConfig;
    this.fromStart = List.copyOf(fromStart);
  }

  /** An admin token given as plain text at start, by id; only its hash is kept. */
  public static AdminToken hashed(String id, String token) {
    return new AdminToken(id, ConsumerKeys.sha256Hex(token));
  }

  public boolean any() {
    return !fromStart.isEmpty() || !fromConfig.get().isEmpty();
  }

  /** The id of the token in {@code Authorization: Bearer ...}, if it is a known one. */
  public Optional<String> authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = authorization.substring(7).strip();
    if (token.isEmpty()) {
      return Optional.empty();
    }
    byte[] presented = ConsumerKeys.sha256Hex(token).getBytes(StandardCharsets.US_ASCII);
    List<AdminToken> all = new ArrayList<>(fromStart);
    all.addAll(fromConfig.get());
    String match = null;
    for (AdminToken t : all) {
      // Constant-time comparison, and no early exit: timing says nothing about which one matched.
      if (MessageDigest.isEqual(presented, t.sha256().getBytes(StandardCharsets.US_ASCII)) && match == null) {
        match = t.id();
      }
    }
    return Optional.ofNullable(match);
  }
}
