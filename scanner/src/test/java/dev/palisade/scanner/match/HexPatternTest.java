package dev.palisade.scanner.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HexPatternTest {

  private static long find(HexPattern p, String dataHex) {
    byte[] data = HexFormat.of().parseHex(dataHex);
    byte[] atom = p.atom();
    for (int i = 0; i + atom.length <= data.length; i++) {
      if (java.util.Arrays.equals(data, i, i + atom.length, atom, 0, atom.length)) {
        long s = p.matchStart(o -> o >= 0 && o < data.length ? data[(int) o] & 0xff : -1, i);
        if (s >= 0) {
          return s;
        }
      }
    }
    return -1;
  }

  @Test
  void wildcardsNibblesAndJumps() {
    HexPattern p = HexPattern.parse("{ 7F 45 ?? [1-3] 4? AA BB CC }");
    assertEquals("7F 45 ?? [1-3] 4? AA BB CC", p.toYara());
    assertEquals(0, find(p, "7f450011224eaabbcc"));
    assertEquals(2, find(p, "00007f45001122334faabbcc"));
    assertEquals(-1, find(p, "7f4500112233445eaabbcc")); // jump too long
    assertEquals(-1, find(p, "7f45005faabbcc")); // 5? is not 4?
  }

  @Test
  void atomIsTheLongestFixedRun() {
    HexPattern p = HexPattern.parse("01 02 ?? 03 04 05 [2] 06");
    assertEquals("030405", HexFormat.of().formatHex(p.atom()));
    assertTrue(HexPattern.parse("01 02 03").isPlain());
  }

  @Test
  void rejectsWhatCannotBeAnchoredOrIsUnsupported() {
    assertThrows(IllegalArgumentException.class, () -> HexPattern.parse("01 ?? 02"));
    assertThrows(IllegalArgumentException.class, () -> HexPattern.parse("[2] 01 02"));
    assertThrows(IllegalArgumentException.class, () -> HexPattern.parse("01 02 [4-]"));
    assertThrows(IllegalArgumentException.class, () -> HexPattern.parse("01 02 ( 03 | 04 )"));
    assertThrows(IllegalArgumentException.class, () -> HexPattern.parse("01 0G"));
  }
}
