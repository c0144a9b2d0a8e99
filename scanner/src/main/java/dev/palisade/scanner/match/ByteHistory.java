package dev.palisade.scanner.match;

/**
 * The most recent bytes of a stream, addressed by absolute offset, in a fixed-size ring. Why: a
 * candidate found by the automaton is verified against the bytes around it (exact case, word
 * boundaries, hex wildcards, a regex window) even when they arrived in an earlier chunk, while the
 * memory a session holds stays bounded whatever the file size.
 */
public final class ByteHistory {

  private final int maxCapacity;
  private byte[] ring;
  private int mask;
  private long end;

  /** @param capacityPowerOfTwo ring size; a power of two */
  public ByteHistory(int capacityPowerOfTwo) {
    this(capacityPowerOfTwo, capacityPowerOfTwo);
  }

  /**
   * A ring that starts small and doubles up to {@code maxCapacity} as data arrives, so the many
   * small files of an image do not each cost a full-size buffer. Both sizes are powers of two.
   */
  public ByteHistory(int initialCapacity, int maxCapacity) {
    if (Integer.bitCount(initialCapacity) != 1 || Integer.bitCount(maxCapacity) != 1 || initialCapacity > maxCapacity) {
      throw new IllegalArgumentException("capacities must be powers of two, initial <= max");
    }
    this.maxCapacity = maxCapacity;
    ring = new byte[initialCapacity];
    mask = initialCapacity - 1;
  }

  public int capacity() {
    return ring.length;
  }

  /** Absolute offset just past the last byte appended. */
  public long end() {
    return end;
  }

  /** Lowest absolute offset still held. */
  public long start() {
    return Math.max(0, end - ring.length);
  }

  public void append(byte[] buf, int off, int len) {
    if (end + len > ring.length && ring.length < maxCapacity) {
      grow(end + len);
    }
    if (len > ring.length) {
      off += len - ring.length;
      end += len - ring.length;
      len = ring.length;
    }
    int pos = (int) (end & mask);
    int first = Math.min(len, ring.length - pos);
    System.arraycopy(buf, off, ring, pos, first);
    System.arraycopy(buf, off + first, ring, 0, len - first);
    end += len;
  }

  /** Called before the ring has wrapped (end <= capacity), so the held bytes are ring[0, end). */
  private void grow(long needed) {
    int capacity = ring.length;
    while (capacity < needed && capacity < maxCapacity) {
      capacity <<= 1;
    }
    ring = java.util.Arrays.copyOf(ring, capacity);
    mask = capacity - 1;
  }

  public boolean holds(long from, long to) {
    return from >= start() && to <= end && from <= to;
  }

  /** The byte at an absolute offset, or -1 when it is not held (before the window or not yet seen). */
  public int at(long offset) {
    if (offset < start() || offset >= end) {
      return -1;
    }
    return ring[(int) (offset & mask)] & 0xff;
  }

  /** Copies {@code [from, to)}, which must be held. */
  public byte[] copy(long from, long to) {
    if (!holds(from, to)) {
      throw new IllegalArgumentException("range not held: " + from + ".." + to);
    }
    byte[] out = new byte[(int) (to - from)];
    for (int i = 0; i < out.length; i++) {
      out[i] = ring[(int) ((from + i) & mask)];
    }
    return out;
  }
}
