package dev.palisade.scanner.api;

/**
 * Every bound the scanner enforces so that hostile input cannot make it hang or exhaust memory. A
 * bound that stops reading makes the report incomplete, naming the bound.
 *
 * @param maxFileBytes content of one file read at most (the rest is unread: incomplete)
 * @param maxLayerBytes uncompressed bytes of one layer read at most
 * @param maxCompressionRatio uncompressed/compressed ratio beyond which a layer is a bomb, checked
 *     once the layer has produced more than {@link #ratioGraceBytes} bytes
 * @param ratioGraceBytes uncompressed bytes always allowed before the ratio check applies
 * @param maxEntriesPerLayer tar entries per layer
 * @param maxNestingDepth archives inside archives, e.g. 3 = layer → jar → jar → file
 * @param maxNestedArchiveBytes largest zip read through its central directory (held in memory);
 *     larger ones stream
 * @param maxNestedEntries entries read from one nested archive
 * @param maxNestedBytesPerLayer bytes decompressed from nested archives in one layer, all together
 * @param maxFindings findings kept per platform (more are counted, not kept)
 */
public record ScanLimits(
    long maxFileBytes,
    long maxLayerBytes,
    long maxCompressionRatio,
    long ratioGraceBytes,
    long maxEntriesPerLayer,
    int maxNestingDepth,
    int maxNestedArchiveBytes,
    int maxNestedEntries,
    long maxNestedBytesPerLayer,
    int maxFindings) {

  public static final ScanLimits DEFAULT = new ScanLimits(
      4L << 30, 64L << 30, 1000, 256L << 20, 2_000_000, 3, 16 << 20, 20_000, 4L << 30, 10_000);

  public ScanLimits {
    if (maxFileBytes <= 0 || maxLayerBytes <= 0 || maxCompressionRatio <= 0 || ratioGraceBytes < 0
        || maxEntriesPerLayer <= 0 || maxNestingDepth < 0 || maxNestedArchiveBytes <= 0
        || maxNestedEntries <= 0 || maxNestedBytesPerLayer <= 0 || maxFindings <= 0) {
      throw new IllegalArgumentException("scan limits must be positive");
    }
  }

  public ScanLimits withMaxFileBytes(long value) {
    return new ScanLimits(value, maxLayerBytes, maxCompressionRatio, ratioGraceBytes, maxEntriesPerLayer,
        maxNestingDepth, maxNestedArchiveBytes, maxNestedEntries, maxNestedBytesPerLayer, maxFindings);
  }

  public ScanLimits withMaxLayerBytes(long value) {
    return new ScanLimits(maxFileBytes, value, maxCompressionRatio, ratioGraceBytes, maxEntriesPerLayer,
        maxNestingDepth, maxNestedArchiveBytes, maxNestedEntries, maxNestedBytesPerLayer, maxFindings);
  }

  public ScanLimits withNesting(int depth, int archiveBytes, int entries, long bytesPerLayer) {
    return new ScanLimits(maxFileBytes, maxLayerBytes, maxCompressionRatio, ratioGraceBytes, maxEntriesPerLayer,
        depth, archiveBytes, entries, bytesPerLayer, maxFindings);
  }

  public ScanLimits withCompressionRatio(long ratio, long graceBytes) {
    return new ScanLimits(maxFileBytes, maxLayerBytes, ratio, graceBytes, maxEntriesPerLayer,
        maxNestingDepth, maxNestedArchiveBytes, maxNestedEntries, maxNestedBytesPerLayer, maxFindings);
  }
}
