package dev.palisade.scanner.ignore;

import dev.palisade.scanner.api.Finding;
import dev.palisade.scanner.rules.PathGlob;
import java.time.LocalDate;

/**
 * One accepted finding: which rule, where (a path glob, or a digest of the image, a platform
 * manifest or a layer), why, and until when.
 *
 * @param line the entry's line in the ignore file, for messages
 * @param path glob over the finding's path (config findings: the field, e.g. {@code config.Env[2]}), or null
 * @param digest {@code sha256:<hex>} of the image, platform manifest or layer, or null
 * @param expires last day the entry suppresses (inclusive)
 */
public record IgnoreEntry(int line, String ruleId, String path, String digest, String reason, LocalDate expires) {

  public IgnoreEntry {
    if (ruleId == null || ruleId.isBlank()) {
      throw new IllegalArgumentException("rule is required");
    }
    if (path == null && digest == null) {
      // An entry for a rule everywhere is a disabled rule, not an accepted finding.
      throw new IllegalArgumentException("path or digest is required");
    }
    if (digest != null && !digest.matches("sha256:[0-9a-f]{64}")) {
      throw new IllegalArgumentException("digest must be sha256:<64 hex digits>");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("reason is required");
    }
    if (expires == null) {
      throw new IllegalArgumentException("expires is required (YYYY-MM-DD)");
    }
  }

  public boolean expiredOn(LocalDate today) {
    return today.isAfter(expires);
  }

  /** Whether this entry covers {@code f} in an image with root digest {@code imageDigest} and platform manifest {@code manifestDigest}. */
  public boolean covers(Finding f, String imageDigest, String manifestDigest) {
    if (!ruleId.equals(f.ruleId())) {
      return false;
    }
    if (path != null && !PathGlob.of(path).matches(f.path())) {
      return false;
    }
    return digest == null || digest.equals(imageDigest) || digest.equals(manifestDigest) || digest.equals(f.layerDigest());
  }

  public String describe() {
    return "line " + line + " (rule " + ruleId + (path != null ? ", path " + path : "") + (digest != null ? ", digest " + digest : "") + ")";
  }
}
