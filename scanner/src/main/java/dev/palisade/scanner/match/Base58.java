package dev.palisade.scanner.match;

import java.math.BigInteger;
import java.util.Arrays;

/** Base58 with the Bitcoin alphabet, in the two layouts wallets use. */
public final class Base58 {

  public static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final int[] DIGIT = new int[128];
  /** Encoded length of a CryptoNote block of n bytes, indexed by n (0..8). */
  private static final int[] ENCODED_BLOCK_SIZES = {0, 2, 3, 5, 6, 7, 9, 10, 11};

  static {
    Arrays.fill(DIGIT, -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      DIGIT[ALPHABET.charAt(i)] = i;
    }
  }

  private Base58() {}

  public static boolean isDigit(int c) {
    return c >= 0 && c < 128 && DIGIT[c] >= 0;
  }

  /**
   * Decodes CryptoNote (Monero) base58: the data is cut into 8-byte blocks, each encoded on its own
   * in 11 characters (the last, shorter block in fewer). Null when the text is not valid.
   */
  public static byte[] decodeCryptoNote(CharSequence text) {
    int fullBlocks = text.length() / 11;
    int tailChars = text.length() % 11;
    int tailBytes = indexOf(ENCODED_BLOCK_SIZES, tailChars);
    if (tailBytes < 0) {
      return null;
    }
    byte[] out = new byte[fullBlocks * 8 + tailBytes];
    for (int block = 0; block <= fullBlocks; block++) {
      int chars = block < fullBlocks ? 11 : tailChars;
      int bytes = block < fullBlocks ? 8 : tailBytes;
      if (chars == 0) {
        continue;
      }
      long value = 0;
      for (int i = 0; i < chars; i++) {
        char ch = text.charAt(block * 11 + i);
        int d = ch < 128 ? DIGIT[ch] : -1;
        if (d < 0 || Long.compareUnsigned(value, Long.divideUnsigned(-1L, 58)) > 0) {
          return null;
        }
        long next = value * 58 + d;
        if (Long.compareUnsigned(next, value * 58) < 0) {
          return null; // wrapped past 2^64
        }
        value = next;
      }
      if (bytes < 8 && Long.compareUnsigned(value, 1L << (8 * bytes)) >= 0) {
        return null;
      }
      for (int i = bytes - 1; i >= 0; i--) {
        out[block * 8 + i] = (byte) value;
        value >>>= 8;
      }
    }
    return out;
  }

  /** Encodes CryptoNote base58 (tests build valid addresses with it). */
  public static String encodeCryptoNote(byte[] data) {
    StringBuilder sb = new StringBuilder();
    for (int off = 0; off < data.length; off += 8) {
      int bytes = Math.min(8, data.length - off);
      long value = 0;
      for (int i = 0; i < bytes; i++) {
        value = (value << 8) | (data[off + i] & 0xffL);
      }
      char[] block = new char[ENCODED_BLOCK_SIZES[bytes]];
      for (int i = block.length - 1; i >= 0; i--) {
        block[i] = ALPHABET.charAt((int) Long.remainderUnsigned(value, 58));
        value = Long.divideUnsigned(value, 58);
      }
      sb.append(block);
    }
    return sb.toString();
  }

  /** Decodes Bitcoin-style base58 (the whole string one big number; leading '1's are zero bytes). Null when invalid. */
  public static byte[] decodeBitcoin(CharSequence text) {
    BigInteger value = BigInteger.ZERO;
    BigInteger base = BigInteger.valueOf(58);
    int leadingZeros = 0;
    boolean leading = true;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      int d = ch < 128 ? DIGIT[ch] : -1;
      if (d < 0) {
        return null;
      }
      if (leading && d == 0) {
        leadingZeros++;
      } else {
        leading = false;
      }
      value = value.multiply(base).add(BigInteger.valueOf(d));
    }
    byte[] magnitude = value.signum() == 0 ? new byte[0] : value.toByteArray();
    int skip = magnitude.length > 0 && magnitude[0] == 0 ? 1 : 0;
    byte[] out = new byte[leadingZeros + magnitude.length - skip];
    System.arraycopy(magnitude, skip, out, leadingZeros, magnitude.length - skip);
    return out;
  }

  /** Encodes Bitcoin-style base58 (tests build valid addresses with it). */
  public static String encodeBitcoin(byte[] data) {
    StringBuilder sb = new StringBuilder();
    BigInteger value = new BigInteger(1, data);
    BigInteger base = BigInteger.valueOf(58);
    while (value.signum() > 0) {
      BigInteger[] qr = value.divideAndRemainder(base);
      sb.append(ALPHABET.charAt(qr[1].intValue()));
      value = qr[0];
    }
    for (int i = 0; i < data.length && data[i] == 0; i++) {
      sb.append('1');
    }
    return sb.reverse().toString();
  }

  private static int indexOf(int[] values, int v) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == v) {
        return i;
      }
    }
    return -1;
  }
}
