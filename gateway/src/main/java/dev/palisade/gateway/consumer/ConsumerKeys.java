package dev.palisade.gateway.consumer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Gateway-issued consumer keys: 256 random bits, stored by the gateway only as SHA-256. */
public final class ConsumerKeys {

  public static final String PREFIX = "pgw-";

  /** MessageDigest lookups cost more than hashing a key; each event loop keeps its own. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  });

  private ConsumerKeys() {}

  public static String generate() {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  public static String sha256Hex(String key) {
    return HexFormat.of().formatHex(SHA256.get().digest(key.getBytes(StandardCharsets.UTF_8)));
  }
}
