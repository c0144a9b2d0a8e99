package dev.palisade.scanner.match;

import java.util.Arrays;

/**
 * Keccak-256 as Monero uses it: the original Keccak padding (0x01 ... 0x80), not the SHA3-256
 * padding (0x06 ... 0x80) that {@code MessageDigest.getInstance("SHA3-256")} implements. Why our
 * own: BouncyCastle is not on the scanner's classpath, and the permutation is small.
 */
public final class Keccak {

  private static final int RATE_256 = 136;
  static final byte KECCAK_PAD = 0x01;
  static final byte SHA3_PAD = 0x06;

  private static final long[] ROUND_CONSTANTS = {
    0x0000000000000001L, 0x0000000000008082L, 0x800000000000808AL, 0x8000000080008000L,
    0x000000000000808BL, 0x0000000080000001L, 0x8000000080008081L, 0x8000000000008009L,
    0x000000000000008AL, 0x0000000000000088L, 0x0000000080008009L, 0x000000008000000AL,
    0x000000008000808BL, 0x800000000000008BL, 0x8000000000008089L, 0x8000000000008003L,
    0x8000000000008002L, 0x8000000000000080L, 0x000000000000800AL, 0x800000008000000AL,
    0x8000000080008081L, 0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L
  };

  /** Rotation offsets, indexed x + 5y. */
  private static final int[] ROTATIONS = {
    0, 1, 62, 28, 27,
    36, 44, 6, 55, 20,
    3, 10, 43, 25, 39,
    41, 45, 15, 21, 8,
    18, 2, 61, 56, 14
  };

  private Keccak() {}

  /** Keccak-256 of {@code data}, 32 bytes. */
  public static byte[] keccak256(byte[] data) {
    return sponge256(data, 0, data.length, KECCAK_PAD);
  }

  /** Keccak-256 of {@code data[off, off+len)}. */
  public static byte[] keccak256(byte[] data, int off, int len) {
    return sponge256(data, off, len, KECCAK_PAD);
  }

  /** The same sponge with a chosen domain padding byte; SHA3_PAD gives SHA3-256 (used to test the permutation against the JDK). */
  static byte[] sponge256(byte[] data, int off, int len, byte pad) {
    long[] state = new long[25];
    int pos = off;
    int end = off + len;
    while (end - pos >= RATE_256) {
      absorbBlock(state, data, pos);
      permute(state);
      pos += RATE_256;
    }
    byte[] last = new byte[RATE_256];
    System.arraycopy(data, pos, last, 0, end - pos);
    last[end - pos] ^= pad;
    last[RATE_256 - 1] ^= (byte) 0x80;
    absorbBlock(state, last, 0);
    permute(state);
    byte[] out = new byte[32];
    for (int i = 0; i < 32; i++) {
      out[i] = (byte) (state[i >>> 3] >>> (8 * (i & 7)));
    }
    return out;
  }

  private static void absorbBlock(long[] state, byte[] block, int off) {
    for (int lane = 0; lane < RATE_256 / 8; lane++) {
      long v = 0;
      for (int b = 7; b >= 0; b--) {
        v = (v << 8) | (block[off + lane * 8 + b] & 0xffL);
      }
      state[lane] ^= v;
    }
  }

  /** Keccak-f[1600]. */
  static void permute(long[] a) {
    long[] c = new long[5];
    long[] b = new long[25];
    for (long rc : ROUND_CONSTANTS) {
      for (int x = 0; x < 5; x++) {
        c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
      }
      for (int x = 0; x < 5; x++) {
        long d = c[(x + 4) % 5] ^ Long.rotateLeft(c[(x + 1) % 5], 1);
        for (int y = 0; y < 25; y += 5) {
          a[x + y] ^= d;
        }
      }
      for (int x = 0; x < 5; x++) {
        for (int y = 0; y < 5; y++) {
          b[y + 5 * ((2 * x + 3 * y) % 5)] = Long.rotateLeft(a[x + 5 * y], ROTATIONS[x + 5 * y]);
        }
      }
      for (int y = 0; y < 25; y += 5) {
        for (int x = 0; x < 5; x++) {
          a[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]);
        }
      }
      a[0] ^= rc;
    }
    Arrays.fill(b, 0);
  }
}
