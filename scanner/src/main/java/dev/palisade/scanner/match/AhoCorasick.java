package dev.palisade.scanner.match;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A byte-level Aho-Corasick automaton over ASCII-case-folded input.
 *
 * <p>Every pattern is inserted folded (A-Z to a-z) and the input is folded through the same table,
 * so one automaton serves case-sensitive and case-insensitive patterns alike; callers verify the
 * exact bytes of case-sensitive patterns themselves. Why: one pass over the data for all literals
 * of all rules is what makes scanning whole images affordable.
 *
 * <p>The transition table is dense ({@code int[]}, one row per state, one column per byte class).
 * Bytes that occur in no pattern share one class, which keeps rows short. Each entry holds the next
 * state's row offset, with the sign bit set when that state has outputs, so the hot loop does one
 * load and one sign test per byte. Immutable and thread-safe; the scanning state is an {@code int}
 * the caller keeps, which is what lets matching continue across chunk boundaries.
 */
public final class AhoCorasick {

  /** Receives pattern hits. */
  @FunctionalInterface
  public interface HitSink {
    /**
     * @param patternId the index the pattern was added with
     * @param endExclusive absolute offset just past the pattern's last byte
     */
    void hit(int patternId, long endExclusive);
  }

  private static final int OUTPUT_FLAG = 0x80000000;

  /** Bytes the start filter tests at each position; patterns shorter than this disable it. */
  static final int FILTER_LENGTH = 3;

  /** Bits in the start filter: 32 KiB, small enough to stay in the L1 cache next to the input. */
  private static final int FILTER_BITS = 1 << 18;

  private final int[] delta;
  private final int[] byteClass;
  private final int classes;
  private final int[][] outputsByState;
  private final int patternCount;
  /** Hashed set of every pattern's first FILTER_LENGTH bytes, all case variants; null if disabled. */
  private final long[] startFilter;

  private AhoCorasick(int[] delta, int[] byteClass, int classes, int[][] outputsByState, int patternCount,
      long[] startFilter) {
    this.delta = delta;
    this.byteClass = byteClass;
    this.classes = classes;
    this.outputsByState = outputsByState;
    this.patternCount = patternCount;
    this.startFilter = startFilter;
  }

  /** Builds an automaton; pattern ids are their positions in {@code patterns}. Empty patterns are rejected. */
  public static AhoCorasick build(List<byte[]> patterns) {
    int[] fold = foldTable();
    boolean[] used = new boolean[256];
    for (byte[] p : patterns) {
      if (p.length == 0) {
        throw new IllegalArgumentException("empty pattern");
      }
      for (byte b : p) {
        used[fold[b & 0xff]] = true;
      }
    }
    int[] classOfFolded = new int[256];
    int classes = 1; // class 0: bytes in no pattern
    for (int b = 0; b < 256; b++) {
      if (used[b]) {
        classOfFolded[b] = classes++;
      }
    }
    int[] byteClass = new int[256];
    for (int b = 0; b < 256; b++) {
      byteClass[b] = classOfFolded[fold[b]];
    }

    // Trie with -1 for missing edges.
    List<int[]> gotoRows = new ArrayList<>();
    List<int[]> outputs = new ArrayList<>();
    gotoRows.add(newRow(classes));
    outputs.add(new int[0]);
    for (int id = 0; id < patterns.size(); id++) {
      int state = 0;
      for (byte b : patterns.get(id)) {
        int c = byteClass[b & 0xff];
        int next = gotoRows.get(state)[c];
        if (next < 0) {
          next = gotoRows.size();
          gotoRows.add(newRow(classes));
          outputs.add(new int[0]);
          gotoRows.get(state)[c] = next;
        }
        state = next;
      }
      outputs.set(state, append(outputs.get(state), id));
    }

    int states = gotoRows.size();
    int[] fail = new int[states];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    int[] root = gotoRows.get(0);
    for (int c = 0; c < classes; c++) {
      if (root[c] < 0) {
        root[c] = 0;
      } else {
        fail[root[c]] = 0;
        queue.add(root[c]);
      }
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      int[] row = gotoRows.get(s);
      for (int c = 0; c < classes; c++) {
        int t = row[c];
        int viaFail = gotoRows.get(fail[s])[c];
        if (t < 0) {
          row[c] = viaFail; // complete the goto function: a DFA, no failure walks while scanning
        } else {
          fail[t] = viaFail;
          outputs.set(t, concat(outputs.get(t), outputs.get(viaFail)));
          queue.add(t);
        }
      }
    }

    int[] delta = new int[Math.multiplyExact(states, classes)];
    for (int s = 0; s < states; s++) {
      int[] row = gotoRows.get(s);
      for (int c = 0; c < classes; c++) {
        int t = row[c];
        delta[s * classes + c] = t * classes | (outputs.get(t).length > 0 ? OUTPUT_FLAG : 0);
      }
    }
    return new AhoCorasick(delta, byteClass, classes, outputs.toArray(new int[0][]), patterns.size(),
        startFilter(patterns, fold));
  }

  /**
   * The start filter, or null when some pattern is shorter than {@link #FILTER_LENGTH} (its hits
   * could begin in bytes the filter never looks at alone).
   */
  private static long[] startFilter(List<byte[]> patterns, int[] fold) {
    for (byte[] p : patterns) {
      if (p.length < FILTER_LENGTH) {
        return null;
      }
    }
    long[] filter = new long[FILTER_BITS / Long.SIZE];
    for (byte[] p : patterns) {
      for (int b0 : variants(p[0], fold)) {
        for (int b1 : variants(p[1], fold)) {
          for (int b2 : variants(p[2], fold)) {
            int h = filterHash((byte) b0, (byte) b1, (byte) b2);
            filter[h >>> 6] |= 1L << h;
          }
        }
      }
    }
    return filter;
  }

  /** The bytes the automaton treats as equal to {@code b}: both cases of an ASCII letter. */
  private static int[] variants(byte b, int[] fold) {
    int folded = fold[b & 0xff];
    return folded >= 'a' && folded <= 'z' ? new int[] {folded, folded - 32} : new int[] {folded};
  }

  /** Below {@link #FILTER_BITS} for any three bytes. */
  private static int filterHash(byte b0, byte b1, byte b2) {
    return ((b0 & 0xff) << 10) ^ ((b1 & 0xff) << 5) ^ (b2 & 0xff);
  }

  /** The state before any input. */
  public int initialState() {
    return 0;
  }

  public int stateCount() {
    return delta.length / classes;
  }

  public int patternCount() {
    return patternCount;
  }

  /** Bytes the transition table occupies; reported so rule authors see what their atoms cost. */
  public long tableBytes() {
    return (long) delta.length * Integer.BYTES;
  }

  /**
   * Feeds {@code buf[from, to)}, whose first byte is at absolute offset {@code base}, and returns
   * the state to pass to the next call.
   *
   * <p>While the automaton is at its root, no pattern is partly matched, so bytes can be skipped
   * until a position whose first {@link #FILTER_LENGTH} bytes could start some pattern (a hashed
   * bit set of every case variant of every pattern's first bytes). That test has no dependency
   * from one position to the next, so it runs several times faster than the table walk, whose
   * every step waits for the previous load; real layer bytes rarely pass it. From a candidate the
   * table walk runs until the automaton is back at its root. The last bytes of a buffer, too few
   * to test, always go through the walk, so matches across buffer boundaries are never lost.
   */
  public int scan(int state, byte[] buf, int from, int to, long base, HitSink sink) {
    if (startFilter == null) {
      return walk(state, buf, from, to, from, base, sink);
    }
    final int[] d = delta;
    final int[] cls = byteClass;
    final int lastStart = to - (FILTER_LENGTH - 1);
    int s = state;
    int i = from;
    while (i < to) {
      if (s == 0) {
        if (i >= lastStart) {
          return walk(0, buf, i, to, from, base, sink);
        }
        i = nextCandidate(buf, i, lastStart);
        if (i >= lastStart) {
          continue; // the tail walk above takes the last bytes
        }
        // a candidate: fall through and step into the automaton from its root
      }
      int t = d[s + cls[buf[i] & 0xff]];
      s = t & ~OUTPUT_FLAG;
      i++;
      if (t < 0) {
        report(s, base + (i - from), sink);
      }
    }
    return s;
  }
  /** The first position in {@code [i, lastStart)} that passes the start filter, or lastStart. */
  private int nextCandidate(byte[] buf, int i, int lastStart) {
    final long[] f = startFilter;
    for (; i < lastStart; i++) {
      int h = filterHash(buf[i], buf[i + 1], buf[i + 2]);
      if ((f[h >>> 6] & (1L << h)) != 0) {
        return i;
      }
    }
    return lastStart;
  }

  private int walk(int state, byte[] buf, int i, int to, int from, long base, HitSink sink) {
    final int[] d = delta;
    final int[] cls = byteClass;
    int s = state;
    for (; i < to; i++) {
      int t = d[s + cls[buf[i] & 0xff]];
      s = t & ~OUTPUT_FLAG;
      if (t < 0) {
        report(s, base + (i - from) + 1, sink);
      }
    }
    return s;
  }

  private void report(int s, long end, HitSink sink) {
    for (int id : outputsByState[s / classes]) {
      sink.hit(id, end);
    }
  }

  /** ASCII case folding: A-Z to a-z, every other byte unchanged. */
  public static int[] foldTable() {
    int[] fold = new int[256];
    for (int b = 0; b < 256; b++) {
      fold[b] = (b >= 'A' && b <= 'Z') ? b + 32 : b;
    }
    return fold;
  }

  private static int[] newRow(int classes) {
    int[] row = new int[classes];
    Arrays.fill(row, -1);
    return row;
  }

  private static int[] append(int[] a, int v) {
    int[] r = Arrays.copyOf(a, a.length + 1);
    r[a.length] = v;
    return r;
  }

  private static int[] concat(int[] a, int[] b) {
    if (b.length == 0) {
      return a;
    }
    int[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
