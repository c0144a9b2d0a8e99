package dev.palisade.scanner.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AhoCorasickTest {

  private static int fold(int b) {
    return b >= 'A' && b <= 'Z' ? b + 32 : b;
  }

  private static TreeSet<String> naive(List<byte[]> patterns, byte[] data) {
    TreeSet<String> out = new TreeSet<>();
    for (int id = 0; id < patterns.size(); id++) {
      byte[] p = patterns.get(id);
      outer:
      for (int i = 0; i + p.length <= data.length; i++) {
        for (int j = 0; j < p.length; j++) {
          if (fold(data[i + j] & 0xff) != fold(p[j] & 0xff)) {
            continue outer;
          }
        }
        out.add(id + "@" + (i + p.length));
      }
    }
    return out;
  }

  private static TreeSet<String> scan(AhoCorasick ac, byte[] data, Random chunking) {
    TreeSet<String> out = new TreeSet<>();
    int state = ac.initialState();
    int pos = 0;
    while (pos < data.length) {
      int n = Math.min(data.length - pos, 1 + chunking.nextInt(17));
      state = ac.scan(state, data, pos, pos + n, pos, (id, end) -> out.add(id + "@" + end));
      pos += n;
    }
    return out;
  }

  @Test
  void findsExactlyWhatANaiveSearchFindsAcrossRandomChunkBoundaries() {
    Random random = new Random(3);
    for (int round = 0; round < 50; round++) {
      List<byte[]> patterns = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(30); i++) {
        byte[] p = new byte[1 + random.nextInt(6)];
        for (int j = 0; j < p.length; j++) {
          p[j] = (byte) "abAB\0\u00ff-".charAt(random.nextInt(7));
        }
        patterns.add(p);
      }
      byte[] data = new byte[2000];
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) "abcABC\0\u00ff-".charAt(random.nextInt(9));
      }
      AhoCorasick ac = AhoCorasick.build(patterns);
      assertEquals(naive(patterns, data), scan(ac, data, random), "round " + round);
    }
  }

  @Test
  void theStartFilterNeverHidesAMatchWhateverTheChunking() {
    // Patterns of 3+ bytes switch the start filter on; mixed case, shared prefixes, patterns
    // inside patterns and buffers cut anywhere (including inside the 3 bytes the filter tests).
    Random random = new Random(11);
    String alphabet = "xmrigXMRIGstratum+tcp:/\0\u00ff.-";
    for (int round = 0; round < 200; round++) {
      List<byte[]> patterns = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(40); i++) {
        byte[] p = new byte[3 + random.nextInt(8)];
        for (int j = 0; j < p.length; j++) {
          p[j] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
        }
        patterns.add(p);
      }
      byte[] data = new byte[5000];
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
      }
      // plant some patterns so every round has hits, some at the very start and end
      for (int k = 0; k < 10; k++) {
        byte[] p = patterns.get(random.nextInt(patterns.size()));
        int at = k == 0 ? 0 : k == 1 ? data.length - p.length : random.nextInt(data.length - p.length);
        System.arraycopy(p, 0, data, at, p.length);
      }
      AhoCorasick ac = AhoCorasick.build(patterns);
      TreeSet<String> expected = naive(patterns, data);
      assertEquals(expected, scan(ac, data, random), "round " + round + ", small chunks");
      assertEquals(expected, scanInChunksUpTo(ac, data, random, 4096), "round " + round + ", large chunks");
    }
  }

  @Test
  void aMatchStartingInTheLastBytesOfABufferIsFoundInTheNext() {
    AhoCorasick ac = AhoCorasick.build(List.of(bytes("stratum+tcp")));
    byte[] data = bytes("................strat" + "um+tcp..");
    TreeSet<String> out = new TreeSet<>();
    int state = ac.scan(ac.initialState(), data, 0, 17, 0, (id, end) -> out.add(id + "@" + end));
    state = ac.scan(state, data, 17, 21, 17, (id, end) -> out.add(id + "@" + end));
    ac.scan(state, data, 21, data.length, 21, (id, end) -> out.add(id + "@" + end));
    assertEquals(new TreeSet<>(List.of("0@27")), out);
  }

  private static TreeSet<String> scanInChunksUpTo(AhoCorasick ac, byte[] data, Random chunking, int max) {
    TreeSet<String> out = new TreeSet<>();
    int state = ac.initialState();
    int pos = 0;
    while (pos < data.length) {
      int n = Math.min(data.length - pos, 1 + chunking.nextInt(max));
      state = ac.scan(state, data, pos, pos + n, pos, (id, end) -> out.add(id + "@" + end));
      pos += n;
    }
    return out;
  }

  @Test
  void overlappingAndNestedPatternsAllReport() {
    List<byte[]> patterns = List.of(bytes("he"), bytes("she"), bytes("his"), bytes("hers"));
    byte[] data = bytes("ushers");
    TreeSet<String> hits = scan(AhoCorasick.build(patterns), data, new Random(1));
    assertEquals(new TreeSet<>(List.of("0@4", "1@4", "3@6")), hits);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
