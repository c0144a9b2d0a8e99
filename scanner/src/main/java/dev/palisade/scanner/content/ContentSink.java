package dev.palisade.scanner.content;

import dev.palisade.scanner.detect.Detection;

/** Where the content scanner puts what it finds and what it could not read. */
public interface ContentSink {

  void detection(String path, Detection detection);

  void incomplete(String reason, String path, String detail);

  /**
   * Charges bytes decompressed from nested archives against the layer's budget; false once the
   * budget is spent.
   */
  boolean chargeNestedBytes(long bytes);
}
