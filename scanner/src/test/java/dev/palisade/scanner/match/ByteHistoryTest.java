package dev.palisade.scanner.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteHistoryTest {

  @Test
  void growsThenWrapsAndAlwaysAnswersByAbsoluteOffset() {
    byte[] data = new byte[100_000];
    new Random(9).nextBytes(data);
    ByteHistory h = new ByteHistory(16, 1 << 14);
    Random chunks = new Random(1);
    int pos = 0;
    while (pos < data.length) {
      int n = Math.min(data.length - pos, 1 + chunks.nextInt(3000));
      h.append(data, pos, n);
      pos += n;
      assertEquals(pos, h.end());
      assertEquals(Math.max(0, pos - h.capacity()), h.start());
      for (long o = h.start(); o < h.end(); o += 97) {
        assertEquals(data[(int) o] & 0xff, h.at(o));
      }
      assertEquals(-1, h.at(h.end()));
    }
    assertEquals(1 << 14, h.capacity());
    assertEquals(-1, h.at(0));
  }
}
