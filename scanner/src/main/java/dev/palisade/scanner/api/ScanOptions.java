package dev.palisade.scanner.api;

import dev.palisade.oci.manifest.Platform;

/**
 * How to scan.
 *
 * @param platform the one platform to scan from an index, or null for all of them
 * @param parallelism layers scanned at once (each holds bounded buffers)
 */
public record ScanOptions(Platform platform, ScanLimits limits, int parallelism) {

  public ScanOptions {
    if (limits == null) {
      throw new IllegalArgumentException("limits are required");
    }
    if (parallelism < 1 || parallelism > 64) {
      throw new IllegalArgumentException("parallelism must be between 1 and 64");
    }
  }

  public static ScanOptions defaults() {
    return new ScanOptions(null, ScanLimits.DEFAULT, Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
  }

  public ScanOptions withPlatform(Platform newPlatform) {
    return new ScanOptions(newPlatform, limits, parallelism);
  }

  public ScanOptions withLimits(ScanLimits newLimits) {
    return new ScanOptions(platform, newLimits, parallelism);
  }
}
