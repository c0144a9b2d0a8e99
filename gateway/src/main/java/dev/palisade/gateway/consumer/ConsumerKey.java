package dev.palisade.gateway.consumer;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One gateway key of a consumer, known only by its SHA-256.
 *
 * @param id a short public handle (for revocation, audit entries and listings)
 * @param createdAt when the admin API issued it; null for keys declared in the config file
 */
public record ConsumerKey(String id, String sha256, Instant createdAt) {

  /** The id of the single key a config-file consumer declares with {@code key_sha256}. */
  public static final String CONFIG_KEY_ID = "config";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  public ConsumerKey {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a key id is 1-64 letters, digits, '_', '.', '-'");
    }
    if (sha256 == null || !HEX64.matcher(sha256).matches()) {
      throw new IllegalArgumentException("a key hash is 64 lowercase hex characters");
    }
  }
}
