package dev.palisade.scanner.detect;

import java.util.List;

/**
 * Matching state for one file. Bytes arrive in order through {@link #update}; {@link #finish} is
 * called once after the last chunk (or after the caller stopped early because {@link #wantsMore}
 * said false). Not thread-safe: one session per file per thread.
 */
public interface MatchSession {

  void update(byte[] buffer, int offset, int length);

  /**
   * False once no rule can match anything further in this file (for example, the magic bytes
   * ruled out every rule), so the caller may stop feeding and skip the rest of the entry.
   */
  boolean wantsMore();

  List<Detection> finish();
}
