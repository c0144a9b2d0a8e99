package dev.palisade.scanner.detect;

import java.util.Base64;

/**
 * Finds base64 and hex runs in a text stream and hands their decoded bytes to a consumer, so the
 * engine can rescan what a script hides ({@code exec(base64.b64decode("..."))}). Bounded: a run is
 * buffered up to {@link #MAX_RUN} characters and longer runs are decoded in pieces of that size;
 * {@link Budget} caps the decoded bytes and the number of runs per top-level file.
 *
 * <p>A run is a maximal sequence of base64 alphabet characters ({@code A-Za-z0-9+/}) optionally
 * followed by {@code =} padding. Runs of only hex digits and of even length are decoded as hex
 * (a SHA-256 in hex would otherwise decode as base64 garbage). Runs shorter than
 * {@link #MIN_RUN} are ignored: identifiers and short hashes are common in clean files, payloads
 * worth hiding are not that short.
 */
final class EncodedBlobs {

  static final int MIN_RUN = 32;
  static final int MAX_RUN = 1 << 20;

  /** Limits shared by a top-level session and everything decoded below it. */
  static final class Budget {
    static final long MAX_DECODED = 16L << 20;
    static final int MAX_RUNS = 4096;
    long decoded;
    int runs;

    boolean exhausted() {
      return decoded >= MAX_DECODED || runs >= MAX_RUNS;
    }
  }

  /** Receives one decoded run, piece by piece. */
  interface Sink {
    /** A new run starts at {@code offset} of the encoded data; {@code hex} says how it was decoded. */
    void begin(long offset, boolean hex);

    void decoded(byte[] bytes, int length);

    void end();
  }

  private static final boolean[] B64 = new boolean[256];
  private static final boolean[] HEX = new boolean[256];

  static {
    for (char c = 'A'; c <= 'Z'; c++) {
      B64[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      B64[c] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      B64[c] = true;
      HEX[c] = true;
    }
    B64['+'] = true;
    B64['/'] = true;
    for (char c = 'a'; c <= 'f'; c++) {
      HEX[c] = true;
      HEX[c - 32] = true;
    }
  }

  private final Budget budget;
  private final Sink sink;
  /** The current run's characters (a plain array: ByteArrayOutputStream locks on every byte). */
  private byte[] run = new byte[256];
  private int runLength;
  private long runStart = -1;
  private boolean allHex = true;
  private boolean padding;
  private boolean streaming;
  private boolean streamingHex;

  EncodedBlobs(Budget budget, Sink sink) {
    this.budget = budget;
    this.sink = sink;
  }

  /**
   * Feeds {@code buf[from, to)}, which starts at absolute offset {@code base}.
   *
   * <p>Outside a run, positions are skipped with {@link #skipToLongRun}: text is mostly letters, so
   * stepping the run state machine byte by byte would buffer every word. Only a sequence of at least
   * {@link #MIN_ALPHABET} alphabet bytes can become a run worth decoding; shorter ones never reach
   * the sink, so skipping them changes nothing but the cost.
   */
  void feed(byte[] buf, int from, int to, long base) {
    int i = from;
    while (i < to) {
      if (runStart < 0) {
        i = skipToLongRun(buf, i, to);
        if (i >= to) {
          return;
        }
      }
      step(buf[i] & 0xff, base + (i - from));
      i++;
    }
  }

  /**
   * A run that reaches {@link #MIN_RUN} has at least this many alphabet bytes: at most three
   * {@code =} follow them.
   */
  static final int MIN_ALPHABET = MIN_RUN - 3;

  /**
   * From {@code i}, which follows a byte that is not in the alphabet (or starts the stream, or
   * follows a finished run), returns the first position that starts {@link #MIN_ALPHABET} alphabet
   * bytes, or the position where fewer bytes than that remain in the buffer (the caller then steps
   * them one by one, since the run may continue in the next buffer). A sequence of that length
   * starting in {@code [i, i + MIN_ALPHABET)} must include byte {@code i + MIN_ALPHABET - 1}, so one
   * probe rejects most positions (as in WalletScanner).
   */
  private static int skipToLongRun(byte[] buf, int i, int to) {
    final boolean[] b64 = B64;
    final int k = MIN_ALPHABET;
    while (i + k <= to) {
      int probe = i + k - 1;
      if (!b64[buf[probe] & 0xff]) {
        i = probe + 1;
        continue;
      }
      int q = probe - 1;
      while (q >= i && b64[buf[q] & 0xff]) {
        q--;
      }
      if (q < i) {
        return i;
      }
      i = q + 1;
    }
    return i;
  }

  /** The run state machine, one byte at absolute offset {@code at}. */
  private void step(int b, long at) {
    if (B64[b] && !padding) {
      if (runStart < 0) {
        runStart = at;
      }
      write(b);
      allHex &= HEX[b];
      if (runLength >= MAX_RUN) {
        flushPiece();
      }
    } else if (b == '=' && runStart >= 0 && !padding) {
      // Padding ends a run: at most two '=' belong to it, a third starts nothing.
      write(b);
      padding = true;
      allHex = false;
    } else if (b == '=' && padding && runLength % 4 != 0) {
      write(b);
    } else {
      endRun();
      if (B64[b]) {
        runStart = at;
        write(b);
        allHex = HEX[b];
      }
    }
  }

  private void write(int b) {
    if (runLength == run.length) {
      run = java.util.Arrays.copyOf(run, Math.max(64, run.length * 2));
    }
    run[runLength++] = (byte) b;
  }

  void finish() {
    endRun();
  }

  private void endRun() {
    if (runStart >= 0) {
      if (streaming) {
        decodePiece(true);
        sink.end();
      } else if (runLength >= MIN_RUN && !budget.exhausted()) {
        budget.runs++;
        sink.begin(runStart, allHex && runLength % 2 == 0);
        streamingHex = allHex && runLength % 2 == 0;
        decodePiece(true);
        sink.end();
      }
    }
    runLength = 0;
    runStart = -1;
    allHex = true;
    padding = false;
    streaming = false;
  }

  /** A run reached MAX_RUN characters: decode what is buffered and keep going. */
  private void flushPiece() {
    if (!streaming) {
      if (budget.exhausted()) {
        runLength = 0;
        return;
      }
      budget.runs++;
      streaming = true;
      streamingHex = allHex;
      sink.begin(runStart, streamingHex);
    }
    decodePiece(false);
  }

  private void decodePiece(boolean last) {
    byte[] chars = java.util.Arrays.copyOf(run, runLength);
    int unit = streamingHex ? 2 : 4;
    int usable = last ? chars.length : chars.length - chars.length % unit;
    byte[] out = streamingHex ? hex(chars, usable) : base64(chars, usable);
    runLength = chars.length - usable;
    System.arraycopy(chars, usable, run, 0, runLength);
    long room = Budget.MAX_DECODED - budget.decoded;
    int n = (int) Math.min(out.length, Math.max(0, room));
    budget.decoded += n;
    if (n > 0) {
      sink.decoded(out, n);
    }
  }

  private static byte[] hex(byte[] chars, int n) {
    byte[] out = new byte[n / 2];
    for (int i = 0; i + 1 < n; i += 2) {
      out[i / 2] = (byte) (Character.digit(chars[i], 16) << 4 | Character.digit(chars[i + 1], 16));
    }
    return out;
  }

  /** Lenient base64: padding optional, a dangling single character dropped. */
  private static byte[] base64(byte[] chars, int n) {
    int len = n;
    while (len > 0 && chars[len - 1] == '=') {
      len--;
    }
    if (len % 4 == 1) {
      len--;
    }
    byte[] trimmed = new byte[len];
    System.arraycopy(chars, 0, trimmed, 0, len);
    return Base64.getDecoder().decode(trimmed); // padding is optional for the basic decoder
  }
}
