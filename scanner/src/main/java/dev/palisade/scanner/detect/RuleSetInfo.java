package dev.palisade.scanner.detect;

/**
 * Identity of a loaded rule set.
 *
 * @param name the rule set's name
 * @param version its declared version
 * @param digest {@code sha256:<hex>} over the canonical bytes of every file it was loaded from
 * @param ruleCount how many rules it holds
 */
public record RuleSetInfo(String name, String version, String digest, int ruleCount) {
  public RuleSetInfo {
    if (name == null || version == null || digest == null || !digest.startsWith("sha256:")) {
      throw new IllegalArgumentException("name, version and a sha256 digest are required");
    }
  }
}
