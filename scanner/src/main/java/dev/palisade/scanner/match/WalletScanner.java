package dev.palisade.scanner.match;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Finds checksum-valid wallet addresses in a byte stream, across chunk boundaries. It tracks runs of
 * base58 characters; when a run ends (a non-base58 byte, or the end of the data) and its length
 * fits a wanted kind, the run is decoded and checked. No regex, no literal anchor: a wallet has
 * none, and a per-byte table test is cheap.
 */
public final class WalletScanner {

  /** Receives valid addresses. */
  @FunctionalInterface
  public interface Sink {
    void wallet(WalletKind kind, long start, String address);
  }

  private static final boolean[] BASE58 = new boolean[256];

  static {
    for (char c : Base58.ALPHABET.toCharArray()) {
      BASE58[c] = true;
    }
  }

  private final WalletKind[] kinds;
  private final int minLength;
  private final byte[] run;
  private int length;

  public WalletScanner(Set<WalletKind> wanted) {
    kinds = wanted.toArray(new WalletKind[0]);
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (WalletKind k : kinds) {
      min = Math.min(min, k.minLength());
      max = Math.max(max, k.maxLength());
    }
    minLength = min;
    run = new byte[max + 1];
  }

  /**
   * Feeds {@code buf[from, to)} whose first byte is at absolute offset {@code base}.
   *
   * <p>Sublinear on binary data: a run of at least {@code minLength} base58 bytes starting at
   * {@code i} needs byte {@code i + minLength - 1} to be base58, so most positions are skipped
   * after one probe (the Boyer-Moore idea applied to character classes).
   */
  public void feed(byte[] buf, int from, int to, long base, Sink sink) {
    final boolean[] b58 = BASE58;
    int i = from;
    if (length > 0) { // a run carried over from the previous chunk
      while (i < to && b58[buf[i] & 0xff]) {
        if (length < run.length) {
          run[length] = buf[i];
        }
        length++;
        i++;
      }
      if (i == to) {
        return;
      }
      endRun(base + (i - from), sink);
      i++;
    }
    // Invariant: i is at the chunk start (nothing carried) or just after a non-base58 byte.
    final int m = minLength;
    while (i + m <= to) {
      int probe = i + m - 1;
      if (!b58[buf[probe] & 0xff]) {
        i = probe + 1;
        continue;
      }
      int q = probe - 1;
      while (q >= i && b58[buf[q] & 0xff]) {
        q--;
      }
      if (q >= i) {
        i = q + 1;
        continue;
      }
      int end = probe + 1;
      while (end < to && b58[buf[end] & 0xff]) {
        end++;
      }
      if (end == to) {
        carry(buf, i, to);
        return;
      }
      if (end - i < run.length) {
        check(buf, i, end - i, base + (i - from), sink);
      }
      i = end + 1;
    }
    int t = to;
    while (t > i && b58[buf[t - 1] & 0xff]) {
      t--;
    }
    carry(buf, t, to);
  }

  private void carry(byte[] buf, int from, int to) {
    length = to - from;
    System.arraycopy(buf, from, run, 0, Math.min(length, run.length));
  }

  private void endRun(long endExclusive, Sink sink) {
    if (length >= minLength && length < run.length) {
      check(run, 0, length, endExclusive - length, sink);
    }
    length = 0;
  }

  /** Ends the last run at end of data; {@code end} is the absolute offset just past the last byte. */
  public void finish(long end, Sink sink) {
    endRun(end, sink);
  }

  private void check(byte[] bytes, int off, int len, long start, Sink sink) {
    String candidate = new String(bytes, off, len, StandardCharsets.ISO_8859_1);
    for (WalletKind k : kinds) {
      if (k.isValid(candidate)) {
        sink.wallet(k, start, candidate);
      }
    }
  }
}
