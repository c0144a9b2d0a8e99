package dev.palisade.scanner.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.scanner.match.WalletKindTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session behaviour the layer walker relies on: early stop, hashing, config text, evidence. */
class RuleEngineTest {

  static RuleEngine engine;

  @BeforeAll
  static void load() throws Exception {
    engine = RuleEngine.compile(Policies.defaultRules());
  }

  private static byte[] png(int size) {
    byte[] b = SampleCase.filler(size, 1);
    byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    System.arraycopy(magic, 0, b, 0, magic.length);
    return b;
  }

  @Test
  void aFileNoRuleCanMatchStopsAfterItsHead() {
    byte[] data = png(1 << 20);
    MatchSession s = engine.open(new FileContext("usr/share/icons/a.png", data.length, 0644));
    assertTrue(s.wantsMore());
    s.update(data, 0, 4096);
    assertFalse(s.wantsMore(), "binary non-executable content: no rule applies after the first 512 bytes");
    assertEquals(List.of(), s.finish());
  }

  @Test
  void aFileTooBigForEveryRuleIsRefusedBeforeTheFirstByte() {
    MatchSession s = engine.open(new FileContext("var/lib/big.bin", 10L << 30, 0644));
    assertFalse(s.wantsMore());
    assertEquals(List.of(), s.finish());
  }

  @Test
  void aSatisfiedRuleStopsTheSessionAtTheNextSliceEnd(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("one.yaml"), """
        format: palisade-rules/1
        rules:
          - id: test.one
            title: one
            severity: LOW
            category: test
            description: a test rule
            falsePositiveGuards: [test]
            gate: {maxSize: 1GiB}
            strings:
              a: {text: "needle"}
            condition: a
        """);
    RuleEngine e = RuleEngine.load(dir.resolve("one.yaml"));
    MatchSession s = e.open(new FileContext("f", 1L << 30, 0644));
    byte[] chunk = new byte[10_000];
    System.arraycopy("needle".getBytes(StandardCharsets.US_ASCII), 0, chunk, 5000, 6);
    long fed = 0;
    while (s.wantsMore()) {
      s.update(chunk, 0, chunk.length);
      fed += chunk.length;
    }
    assertTrue(fed <= 70_000, "stopped after " + fed + " bytes, not at the first 64 KiB slice end");
    List<Detection> found = s.finish();
    assertEquals(1, found.size());
    assertEquals(5000, found.get(0).offset());
    assertEquals("\"needle\"@5000", found.get(0).evidence());
  }

  @Test
  void executableDetectionsCarryTheFirstOffset() {
    byte[] head = SampleCase.elfHeader();
    byte[] text = "\0XMRig/6.21.0\0--donate-level\0rx/0\0--huge-pages-jit\0".getBytes(StandardCharsets.ISO_8859_1);
    MatchSession s = engine.open(new FileContext("x", 64L << 20, 0755));
    s.update(head, 0, head.length);
    s.update(text, 0, text.length);
    byte[] filler = new byte[1 << 16];
    long fed = 0;
    while (s.wantsMore() && fed < (64L << 20)) {
      s.update(filler, 0, filler.length);
      fed += filler.length;
    }
    List<Detection> found = s.finish();
    assertTrue(found.stream().anyMatch(d -> d.ruleId().equals("miner.xmrig.binary")), found.toString());
    assertEquals(64 + 1, found.get(0).offset());
  }

  @Test
  void knownBadHashIsReportedWithItsNameAndSize() {
    // Built from pieces so this source file is not itself the test signature.
    String eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    byte[] data = eicar.getBytes(StandardCharsets.US_ASCII);
    MatchSession s = engine.open(new FileContext("tmp/eicar.com", data.length, 0644));
    s.update(data, 0, data.length);
    List<Detection> found = s.finish();
    assertEquals(1, found.size(), found.toString());
    assertEquals(RuleEngine.KNOWN_BAD_RULE_ID, found.get(0).ruleId());
    assertEquals(Severity.HIGH, found.get(0).severity());
    assertTrue(found.get(0).title().contains("eicar-test-file"));
    assertTrue(found.get(0).evidence().startsWith("sha256:275a021b"));
  }

  @Test
  void executablesAreHashedAgainstEntriesWithoutSize(@TempDir Path dir) throws Exception {
    byte[] exe = SampleCase.elfHeader();
    String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(exe));
    Files.writeString(dir.resolve("bad.yaml"), "format: palisade-hashes/1\nentries:\n"
        + "  - {sha256: " + sha + ", name: test-dropper, reason: seen in a test, severity: CRITICAL}\n");
    RuleEngine e = RuleEngine.load(dir);
    MatchSession exec = e.open(new FileContext("usr/bin/x", exe.length, 0755));
    exec.update(exe, 0, exe.length);
    assertEquals(Severity.CRITICAL, exec.finish().get(0).severity());
    byte[] text = "same size, not executable, not hashed.".getBytes(StandardCharsets.US_ASCII);
    MatchSession plain = e.open(new FileContext("etc/x.txt", text.length, 0644));
    plain.update(text, 0, text.length);
    assertFalse(plain.wantsMore(), "no rule and no hash gate applies to a small non-executable file");
    assertEquals(List.of(), plain.finish());
  }

  @Test
  void configTextFindsMinerArgumentsAndRedactsSecrets() {
    List<Detection> found = engine.scanText(new TextContext("Cmd",
        "/usr/sbin/log_rot -o stratum+tcp://worker:s3cret@pool.supportxmr.com:443 -u "
            + WalletKindTest.MONERO_DONATION + " -p hunter2 --donate-level=1"));
    List<String> ids = found.stream().map(Detection::ruleId).sorted().toList();
    assertEquals(List.of("miner.cli.arguments", "miner.config.tool-name", "miner.pool.known-domain", "miner.stratum.uri",
        "miner.wallet.cryptonote").stream().filter(x -> !x.equals("miner.config.tool-name")).toList(), ids);
    for (Detection d : found) {
      assertFalse(d.evidence().contains("s3cret"), d.evidence());
      assertFalse(d.evidence().contains("hunter2"), d.evidence());
      assertTrue(d.evidence().length() <= 160, d.evidence());
    }
  }

  @Test
  void redactorMasksCommonSecretShapes() {
    assertEquals("stratum+tcp://u:***@h:1", Redactor.redact("stratum+tcp://u:pw@h:1"));
    assertEquals("-o h:1 -u w -p ***", Redactor.redact("-o h:1 -u w -p x"));
    assertEquals("mkdir -p /opt/x", Redactor.redact("mkdir -p /opt/x"));
    assertEquals("TOKEN=***", Redactor.redact("TOKEN=abc123"));
    assertEquals("Authorization: Bearer ***", Redactor.redact("Authorization: Bearer abcdef123456"));
    assertEquals("https://h/x?key=***&a=1", Redactor.redact("https://h/x?key=AIzaSy123&a=1"));
  }

  @Test
  void sessionMemoryDoesNotGrowWithFileSize() {
    // 256 MiB of text through one session: only the ring and per-string state are kept.
    byte[] chunk = ("lorem ipsum stratum curl chmod --url -o 1.2.3 \"url\": " + "x".repeat(200) + "\n")
        .repeat(256).getBytes(StandardCharsets.US_ASCII);
    MatchSession s = engine.open(new FileContext("srv/log.txt", 256L << 20, 0644));
    long fed = 0;
    Runtime rt = Runtime.getRuntime();
    long before = rt.totalMemory() - rt.freeMemory();
    while (fed < (64L << 20)) {
      s.update(chunk, 0, chunk.length);
      fed += chunk.length;
    }
    System.gc();
    long after = rt.totalMemory() - rt.freeMemory();
    assertTrue(after - before < (32L << 20), "grew by " + (after - before));
    assertEquals(List.of(), s.finish());
  }
}
