package dev.palisade.scanner.rules;

import dev.palisade.scanner.detect.Severity;
import java.util.regex.Pattern;

/**
 * A file known to be bad, by SHA-256.
 *
 * @param sha256 64 lowercase hex digits
 * @param size the file's size in bytes, or -1 when the list does not say; when given, only files of
 *     exactly this size are hashed for this entry
 */
public record KnownBadHash(String sha256, String name, String reason, Severity severity, long size) {

  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  public KnownBadHash {
    if (sha256 == null || !HEX64.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits");
    }
    if (name == null || name.isBlank() || reason == null || reason.isBlank() || severity == null) {
      throw new IllegalArgumentException("name, reason and severity are required");
    }
    if (size < -1) {
      throw new IllegalArgumentException("size must not be negative");
    }
  }
}
