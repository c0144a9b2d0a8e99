package dev.palisade.scanner.api;

import dev.palisade.scanner.detect.RuleSetInfo;
import dev.palisade.scanner.detect.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of scanning one image reference. Deterministic for the same image and rules: no
 * timestamps, findings in layer and path order.
 *
 * @param image how the user named the image
 * @param imageDigest digest of the root manifest or index
 * @param syntheticDigest true when the source has no manifest of its own (docker-archive, dir:) and
 *     the digest is of one we derived
 */
public record ScanReport(
    String image,
    String imageDigest,
    boolean syntheticDigest,
    RuleSetInfo rules,
    ScanStatus status,
    List<PlatformReport> platforms,
    List<Incomplete> incomplete,
    long bytesScanned) {

  public ScanReport {
    platforms = List.copyOf(platforms);
    incomplete = List.copyOf(incomplete);
  }

  /** Every finding of every platform. */
  public List<Finding> findings() {
    List<Finding> all = new ArrayList<>();
    platforms.forEach(p -> all.addAll(p.findings()));
    return all;
  }

  /** Every reason for incompleteness, image-wide and per platform. */
  public List<Incomplete> allIncomplete() {
    List<Incomplete> all = new ArrayList<>(incomplete);
    platforms.forEach(p -> all.addAll(p.incomplete()));
    return all;
  }

  /** True if some finding is at least {@code threshold}. */
  public boolean hasFindingsAtLeast(Severity threshold) {
    return findings().stream().anyMatch(f -> f.severity().atLeast(threshold));
  }

  /** Combines findings and incompleteness the one way every part of the scanner does. */
  public static ScanStatus statusOf(List<Finding> findings, List<Incomplete> incomplete) {
    if (!findings.isEmpty()) {
      return ScanStatus.FINDINGS;
    }
    return incomplete.isEmpty() ? ScanStatus.CLEAN : ScanStatus.INCOMPLETE;
  }
}
