package dev.palisade.scanner.api;

/**
 * The verdict of a scan. {@code INCOMPLETE} wins over {@code CLEAN}: content we could not read is
 * never reported as clean. Findings and incompleteness can both be present; then the status is
 * {@code FINDINGS} and the report still lists what was not read.
 */
public enum ScanStatus {
  CLEAN,
  FINDINGS,
  INCOMPLETE;

  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
