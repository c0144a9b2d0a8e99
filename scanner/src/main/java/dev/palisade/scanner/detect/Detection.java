package dev.palisade.scanner.detect;

/**
 * One rule that matched one file or config value.
 *
 * @param ruleId the rule's stable id, e.g. {@code miner.xmrig.binary}
 * @param severity the rule's severity
 * @param title one line that says what was found
 * @param offset byte offset in the file of the first matching string, or -1 when not meaningful
 * @param evidence a short excerpt (at most ~120 printable characters) with secrets redacted
 */
public record Detection(String ruleId, Severity severity, String title, long offset, String evidence) {
  public Detection {
    if (ruleId == null || ruleId.isBlank() || severity == null || title == null) {
      throw new IllegalArgumentException("ruleId, severity and title are required");
    }
    evidence = evidence == null ? "" : evidence;
  }
}
