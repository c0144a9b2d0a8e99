package dev.palisade.scanner.api;

import java.util.List;

/**
 * The scan of one platform's image (a single-platform image has exactly one).
 *
 * @param platform {@code os/arch[/variant]}, or {@code unknown}
 * @param manifestDigest the platform manifest's digest
 */
public record PlatformReport(
    String platform,
    String manifestDigest,
    String configDigest,
    ScanStatus status,
    List<LayerSummary> layers,
    List<Finding> findings,
    List<Incomplete> incomplete) {

  public PlatformReport {
    layers = List.copyOf(layers);
    findings = List.copyOf(findings);
    incomplete = List.copyOf(incomplete);
  }
}
