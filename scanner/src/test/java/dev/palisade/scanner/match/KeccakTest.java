package dev.palisade.scanner.match;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeccakTest {

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void knownKeccak256Vectors() {
    assertEquals("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", hex(Keccak.keccak256(new byte[0])));
    assertEquals("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
        hex(Keccak.keccak256("abc".getBytes(StandardCharsets.US_ASCII))));
    assertEquals("4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15",
        hex(Keccak.keccak256("The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII))));
  }

  /** With SHA3 padding the same permutation must reproduce the JDK's SHA3-256, across block boundaries. */
  @Test
  void permutationAgreesWithJdkSha3AtEveryLengthAroundTheRate() throws Exception {
    Random random = new Random(7);
    MessageDigest sha3 = MessageDigest.getInstance("SHA3-256");
    for (int len = 0; len <= 300; len++) {
      byte[] data = new byte[len];
      random.nextBytes(data);
      assertArrayEquals(sha3.digest(data), Keccak.sponge256(data, 0, len, Keccak.SHA3_PAD), "length " + len);
    }
  }

  @Test
  void offsetAndLengthSelectASlice() {
    byte[] data = "xxabcyy".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(Keccak.keccak256("abc".getBytes(StandardCharsets.US_ASCII)), Keccak.keccak256(data, 2, 3));
  }
}
