package dev.palisade.scanner.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A hex string in YARA's notation: {@code 7F 45 4C 46 ?? 0? [2-4] 01}. Bytes, full ({@code ??}) and
 * nibble ({@code 4?}, {@code ?F}) wildcards, bounded jumps {@code [n]} and {@code [n-m]}.
 * Alternatives {@code ( .. | .. )} and unbounded jumps are not supported.
 *
 * <p>The longest run of fixed bytes is the pattern's atom: the automaton finds it, then the rest is
 * checked around it ({@link #matchStart}).
 */
public final class HexPattern {

  /** One element: a byte with a mask, or a jump of {@code min..max} arbitrary bytes. */
  private record Element(int value, int mask, int jumpMin, int jumpMax) {
    boolean isJump() {
      return mask < 0;
    }
  }

  /** Longest jump accepted; keeps verification inside a session's window. */
  public static final int MAX_JUMP = 1024;

  private final String source;
  private final Element[] elements;
  private final int atomFrom;
  private final int atomTo;

  private HexPattern(String source, Element[] elements, int atomFrom, int atomTo) {
    this.source = source;
    this.elements = elements;
    this.atomFrom = atomFrom;
    this.atomTo = atomTo;
  }

  /** Parses; the message of the exception says what is wrong and where. */
  public static HexPattern parse(String text) {
    String s = text.trim();
    if (s.startsWith("{") && s.endsWith("}")) {
      s = s.substring(1, s.length() - 1);
    }
    List<Element> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '[') {
        int close = s.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("unclosed jump at column " + (i + 1));
        }
        String body = s.substring(i + 1, close).trim();
        int dash = body.indexOf('-');
        int min;
        int max;
        try {
          if (dash < 0) {
            min = max = Integer.parseInt(body);
          } else {
            min = body.substring(0, dash).isBlank() ? 0 : Integer.parseInt(body.substring(0, dash).trim());
            if (body.substring(dash + 1).isBlank()) {
              throw new IllegalArgumentException("unbounded jump [" + body + "] is not supported; give a maximum");
            }
            max = Integer.parseInt(body.substring(dash + 1).trim());
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad jump [" + body + "]");
        }
        if (min < 0 || max < min || max > MAX_JUMP) {
          throw new IllegalArgumentException("jump [" + body + "] must satisfy 0 <= min <= max <= " + MAX_JUMP);
        }
        out.add(new Element(0, -1, min, max));
        i = close + 1;
      } else if (c == '(' || c == '|' || c == ')') {
        throw new IllegalArgumentException("alternatives ( .. | .. ) are not supported; write two strings");
      } else {
        if (i + 1 >= s.length()) {
          throw new IllegalArgumentException("odd number of hex digits at column " + (i + 1));
        }
        int hi = nibble(s.charAt(i), i);
        int lo = nibble(s.charAt(i + 1), i + 1);
        int value = (Math.max(hi, 0) << 4) | Math.max(lo, 0);
        int mask = (hi < 0 ? 0 : 0xF0) | (lo < 0 ? 0 : 0x0F);
        out.add(new Element(value, mask, 0, 0));
        i += 2;
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("empty hex string");
    }
    if (out.get(0).isJump() || out.get(out.size() - 1).isJump()) {
      throw new IllegalArgumentException("a hex string must not start or end with a jump");
    }
    int bestFrom = 0;
    int bestLen = 0;
    for (int from = 0; from < out.size(); ) {
      int to = from;
      while (to < out.size() && out.get(to).mask() == 0xFF) {
        to++;
      }
      if (to - from > bestLen) {
        bestLen = to - from;
        bestFrom = from;
      }
      from = Math.max(to, from + 1);
    }
    if (bestLen < 2) {
      throw new IllegalArgumentException("needs at least 2 consecutive fixed bytes to anchor matching");
    }
    return new HexPattern(text.trim(), out.toArray(new Element[0]), bestFrom, bestFrom + bestLen);
  }

  private static int nibble(char c, int column) {
    if (c == '?') {
      return -1;
    }
    int v = Character.digit(c, 16);
    if (v < 0) {
      throw new IllegalArgumentException("'" + c + "' is not a hex digit (column " + (column + 1) + ")");
    }
    return v;
  }

  public String source() {
    return source;
  }

  /** The fixed bytes the automaton looks for. */
  public byte[] atom() {
    byte[] a = new byte[atomTo - atomFrom];
    for (int i = 0; i < a.length; i++) {
      a[i] = (byte) elements[atomFrom + i].value();
    }
    return a;
  }

  /** True when the pattern is just its atom: a hit needs no further check. */
  public boolean isPlain() {
    return atomFrom == 0 && atomTo == elements.length;
  }

  /** Most bytes the pattern may span before the atom. */
  public int maxBefore() {
    return span(0, atomFrom);
  }

  /** Most bytes the pattern may span after the atom. */
  public int maxAfter() {
    return span(atomTo, elements.length);
  }

  private int span(int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n += elements[i].isJump() ? elements[i].jumpMax() : 1;
    }
    return n;
  }

  /** Byte access by absolute offset; -1 when unknown. */
  @FunctionalInterface
  public interface Bytes {
    int at(long offset);
  }

  /**
   * Checks the whole pattern around an atom occurrence that starts at {@code atomStart}. Returns
   * the absolute offset where the match starts, or -1.
   */
  public long matchStart(Bytes bytes, long atomStart) {
    long atomEnd = atomStart + (atomTo - atomFrom);
    if (!forward(bytes, atomTo, atomEnd)) {
      return -1;
    }
    return backward(bytes, atomFrom - 1, atomStart);
  }

  private boolean forward(Bytes bytes, int k, long pos) {
    if (k == elements.length) {
      return true;
    }
    Element e = elements[k];
    if (e.isJump()) {
      for (int j = e.jumpMin(); j <= e.jumpMax(); j++) {
        if (forward(bytes, k + 1, pos + j)) {
          return true;
        }
      }
      return false;
    }
    int b = bytes.at(pos);
    return b >= 0 && (b & e.mask()) == e.value() && forward(bytes, k + 1, pos + 1);
  }

  private long backward(Bytes bytes, int k, long endExclusive) {
    if (k < 0) {
      return endExclusive;
    }
    Element e = elements[k];
    if (e.isJump()) {
      for (int j = e.jumpMin(); j <= e.jumpMax(); j++) {
        long r = backward(bytes, k - 1, endExclusive - j);
        if (r >= 0) {
          return r;
        }
      }
      return -1;
    }
    int b = bytes.at(endExclusive - 1);
    return b >= 0 && (b & e.mask()) == e.value() ? backward(bytes, k - 1, endExclusive - 1) : -1;
  }

  /** YARA notation, normalised: {@code 7F 45 ?? [2-4] 01}. */
  public String toYara() {
    StringBuilder sb = new StringBuilder();
    for (Element e : elements) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      if (e.isJump()) {
        sb.append('[').append(e.jumpMin());
        if (e.jumpMax() != e.jumpMin()) {
          sb.append('-').append(e.jumpMax());
        }
        sb.append(']');
      } else {
        sb.append((e.mask() & 0xF0) == 0 ? "?" : Integer.toHexString(e.value() >> 4).toUpperCase(Locale.ROOT));
        sb.append((e.mask() & 0x0F) == 0 ? "?" : Integer.toHexString(e.value() & 0xF).toUpperCase(Locale.ROOT));
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "{ " + toYara() + " }";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HexPattern h && Arrays.equals(h.elements, elements);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(elements);
  }
}
