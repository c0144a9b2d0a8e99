package dev.palisade.scanner.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.scanner.fixtures.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule packs: one file, the set's digest, refused when edited; and the rules CLI around them. */
class RulePackTest {

  static Path policies() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("policies/ruleset.yaml"))) {
        return p.resolve("policies");
      }
    }
    throw new IllegalStateException("policies/ not found");
  }

  @Test
  void packLoadsWithTheSameIdentityAsTheDirectory(@TempDir Path tmp) throws Exception {
    RuleSet dir = RuleSetLoader.load(policies());
    Path pack = tmp.resolve("rules.pack.json");
    Files.write(pack, RulePack.pack(policies()));
    RuleSet packed = RuleSetLoader.load(pack);
    assertEquals(dir.digest(), packed.digest());
    assertEquals(dir.version(), packed.version());
    assertEquals(dir.rules().size(), packed.rules().size());
  }

  @Test
  void editedPackIsRefused(@TempDir Path tmp) throws Exception {
    Path pack = tmp.resolve("rules.pack.json");
    Files.write(pack, RulePack.pack(policies()));
    String json = Files.readString(pack);
    // Append a comment to one file: still a valid rule file, a different digest.
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\"rules/wallets.yaml\" : \")([^\"]+)").matcher(json);
    assertTrue(m.find(), json);
    String original = new String(java.util.Base64.getDecoder().decode(m.group(2)), StandardCharsets.UTF_8);
    String edited = json.substring(0, m.start(2))
        + java.util.Base64.getEncoder().encodeToString((original + "# edited\n").getBytes(StandardCharsets.UTF_8))
        + json.substring(m.end(2));
    Files.writeString(pack, edited);
    RuleSetException e = assertThrows(RuleSetException.class, () -> RuleSetLoader.load(pack));
    assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
  }

  @Test
  void cliPacksListsTestsAndExports(@TempDir Path tmp) throws Exception {
    Path pack = tmp.resolve("p.json");
    CliRun packed = CliRun.of("rules", "pack", policies().toString(), "-o", pack.toString());
    assertEquals(0, packed.exitCode(), packed.toString());
    CliRun list = CliRun.of("rules", "list", "--rules", pack.toString(), "--category", "startup-hook");
    assertEquals(0, list.exitCode(), list.toString());
    assertTrue(list.out().contains("hook.python.pth-exec"), list.out());
    assertTrue(list.out().contains(RuleSetLoader.load(policies()).digest()), list.out());

    Path sample = Files.writeString(tmp.resolve("x.pth"), "import os, subprocess; subprocess.Popen(['sh'])\n");
    CliRun hit = CliRun.of("rules", "test", sample.toString(), "--path", "usr/lib/python3/dist-packages/x.pth");
    assertEquals(1, hit.exitCode(), hit.toString());
    assertTrue(hit.out().contains("hook.python.pth-exec"), hit.out());
    CliRun miss = CliRun.of("rules", "test", sample.toString(), "--path", "opt/notes/x.pth");
    assertEquals(0, miss.exitCode(), miss.toString());

    Path elf = tmp.resolve("helper");
    byte[] bytes = new byte[200];
    bytes[0] = 0x7f;
    bytes[1] = 'E';
    bytes[2] = 'L';
    bytes[3] = 'F';
    Files.write(elf, bytes);
    CliRun setuid = CliRun.of("rules", "test", elf.toString(), "--path", "var/tmp/helper", "--mode", "4755");
    assertTrue(setuid.out().contains("persistence.setuid.unusual-location"), setuid.toString());

    CliRun yara = CliRun.of("rules", "yara");
    assertEquals(0, yara.exitCode(), yara.toString());
    assertTrue(yara.out().contains("rule stealer_credential_harvest"), yara.out());
    assertTrue(yara.err().contains("not exported: hook.python.pth-exec"), yara.err());
  }
}
