package dev.palisade.scanner.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class WalletScannerTest {

  private static List<String> scan(String text, int chunk) {
    byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
    List<String> out = new ArrayList<>();
    WalletScanner s = new WalletScanner(EnumSet.allOf(WalletKind.class));
    for (int pos = 0; pos < data.length; pos += chunk) {
      s.feed(data, pos, Math.min(data.length, pos + chunk), pos, (k, start, a) -> out.add(k + "@" + start));
    }
    s.finish(data.length, (k, start, a) -> out.add(k + "@" + start));
    return out;
  }

  @Test
  void findsAddressesAcrossChunksAndAtTheEnd() {
    String text = "-u " + WalletKindTest.MONERO_DONATION + ".rig1 and " + WalletKindTest.BITCOIN_GENESIS;
    for (int chunk : new int[] {1, 3, 64, 4096}) {
      assertEquals(List.of("MONERO@3", "BITCOIN@" + text.indexOf(WalletKindTest.BITCOIN_GENESIS)), scan(text, chunk), "chunk " + chunk);
    }
  }

  /** The skipping scanner must find exactly the runs a byte-by-byte scan finds, whatever the chunking. */
  @Test
  void agreesWithANaiveScanOnRandomDataAndChunking() {
    java.util.Random r = new java.util.Random(17);
    String valid = WalletKindTest.MONERO_DONATION;
    for (int round = 0; round < 200; round++) {
      StringBuilder sb = new StringBuilder();
      List<Integer> expected = new ArrayList<>();
      while (sb.length() < 3000) {
        int kind = r.nextInt(5);
        if (kind == 0) {
          sb.append((char) (' ' + r.nextInt(3)));
          expected.add(sb.length());
          sb.append(valid).append(' ');
        } else if (kind == 1) {
          for (int i = r.nextInt(120); i > 0; i--) {
            sb.append(Base58.ALPHABET.charAt(r.nextInt(58)));
          }
          sb.append('\0');
        } else {
          for (int i = r.nextInt(60); i > 0; i--) {
            sb.append((char) r.nextInt(256));
          }
          sb.append('-');
        }
      }
      String text = sb.toString();
      List<String> want = new ArrayList<>();
      expected.forEach(p -> want.add("MONERO@" + p));
      int chunk = 1 + r.nextInt(200);
      List<String> got = scan(text, chunk);
      got.removeIf(x -> !x.startsWith("MONERO"));
      assertEquals(want, got, "round " + round + " chunk " + chunk);
    }
  }

  @Test
  void anAddressGluedToMoreBase58IsNotOne() {
    assertEquals(List.of(), scan("x" + WalletKindTest.MONERO_DONATION + "abc", 7));
  }
}
