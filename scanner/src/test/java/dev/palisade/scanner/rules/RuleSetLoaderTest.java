package dev.palisade.scanner.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleSetLoaderTest {

  static Path policies() {
    return Path.of(System.getProperty("user.dir")).resolve("../policies").normalize();
  }

  private static final String GOOD_RULE = """
      format: palisade-rules/1
      rules:
        - id: test.one
          title: one
          severity: LOW
          category: test
          description: a test rule
          falsePositiveGuards: [test]
          gate: {maxSize: 1MiB}
          strings:
            a: {text: "alpha"}
          condition: a
      """;

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  @Test
  void defaultSetLoadsWithNameVersionAndAStableDigest() throws Exception {
    RuleSet a = RuleSetLoader.load(policies());
    RuleSet b = RuleSetLoader.load(policies().resolve("ruleset.yaml"));
    assertEquals("palisade-default", a.name());
    assertEquals("1.1.0", a.version());
    assertEquals(a.digest(), b.digest());
    assertTrue(a.files().contains("rules/miners.yaml") && a.files().contains("ruleset.yaml"));
    assertTrue(a.rules().size() >= 15, "rules: " + a.rules().size());
  }

  @Test
  void digestIgnoresLineEndingsButNotContent(@TempDir Path tmp) throws Exception {
    copyTree(policies(), tmp);
    String original = RuleSetLoader.load(tmp).digest();
    Path miners = tmp.resolve("rules/miners.yaml");
    String text = Files.readString(miners);
    Files.writeString(miners, text.replace("\n", "\r\n"));
    assertEquals(original, RuleSetLoader.load(tmp).digest());
    Files.writeString(miners, text.replace("Mach-O magic)", "Mach-O magic) "));
    assertNotEquals(original, RuleSetLoader.load(tmp).digest());
  }

  /** The classpath form (what loadDefault uses) gives the same digest as the directory. */
  @Test
  void classpathLoadingMatchesTheDirectory() throws Exception {
    if (RuleSetLoaderTest.class.getResource(RuleSetLoader.DEFAULT_MANIFEST) == null) {
      RuleSetException e = assertThrows(RuleSetException.class, RuleSetLoader::loadDefault);
      assertTrue(e.getMessage().contains("not found on the classpath"), e.getMessage());
      return;
    }
    assertEquals(RuleSetLoader.load(policies()).digest(), RuleSetLoader.loadDefault().digest());
  }

  @Test
  void singleRuleFileAndDirectoryWithoutManifest(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("local.yaml"), GOOD_RULE);
    RuleSet file = RuleSetLoader.load(tmp.resolve("local.yaml"));
    assertEquals("local", file.name());
    assertEquals("unversioned", file.version());
    assertEquals(1, file.rules().size());
    RuleSet dir = RuleSetLoader.load(tmp);
    assertEquals(file.rules().get(0).id(), dir.rules().get(0).id());
  }

  private static RuleValidationException invalid(Path tmp, String yaml) throws IOException {
    Path f = tmp.resolve("bad.yaml");
    Files.writeString(f, yaml);
    return assertThrows(RuleValidationException.class, () -> RuleSetLoader.load(f));
  }

  @Test
  void errorsNameFileRuleFieldAndLine(@TempDir Path tmp) throws Exception {
    RuleValidationException e = invalid(tmp, GOOD_RULE.replace("severity: LOW", "severity: SEVERE"));
    assertEquals("bad.yaml", e.file());
    assertEquals("test.one", e.ruleId());
    assertEquals("severity", e.field());
    assertEquals(5, e.line());
    assertTrue(e.getMessage().startsWith("bad.yaml:5: rule test.one: field severity: 'SEVERE'"), e.getMessage());

    e = invalid(tmp, GOOD_RULE.replace("{text: \"alpha\"}", "{text: \"alpha\", modifiers: [nocase, base64]}"));
    assertEquals("strings.a.modifiers", e.field());
    assertEquals(11, e.line());

    e = invalid(tmp, GOOD_RULE.replace("condition: a", "condition: {atLeast: 2, of: [a]}"));
    assertEquals("condition.atLeast", e.field());

    e = invalid(tmp, GOOD_RULE.replace("condition: a", "condition: b"));
    assertEquals("condition", e.field());
    assertTrue(e.getMessage().contains("'b' names no string"), e.getMessage());

    e = invalid(tmp, GOOD_RULE.replace("a: {text: \"alpha\"}", "a: {text: \"alpha\"}\n      unused: {text: \"zzz\"}"));
    assertEquals("strings.unused", e.field());
    assertEquals(12, e.line());

    e = invalid(tmp, GOOD_RULE.replace("a: {text: \"alpha\"}", "a: {regex: 'a|b'}"));
    assertTrue(e.getMessage().contains("anchors"), e.getMessage());

    e = invalid(tmp, GOOD_RULE.replace("a: {text: \"alpha\"}", "a: {hex: \"01 ?? 02\"}"));
    assertEquals("strings.a.hex", e.field());

    e = invalid(tmp, GOOD_RULE.replace("gate: {maxSize: 1MiB}", "gate: {magic: [elfish]}"));
    assertEquals("gate.magic[0]", e.field());

    e = invalid(tmp, GOOD_RULE.replace("    gate: {maxSize: 1MiB}\n", ""));
    assertEquals("gate", e.field());

    e = invalid(tmp, GOOD_RULE.replace("title: one", "title: one\n    titel: typo"));
    assertEquals("titel", e.field());

    e = invalid(tmp, GOOD_RULE.replace("- id: test.one", "- id: Test One"));
    assertNull(e.ruleId());
    assertEquals("id", e.field());

    e = invalid(tmp, "format: palisade-rules/1\nrules: [ {id: x.y, title: [unclosed\n");
    assertNull(e.ruleId());
    assertTrue(e.getMessage().startsWith("bad.yaml:"), e.getMessage());
  }

  @Test
  void manifestProblemsNameTheManifestOrTheMissingFile(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("ruleset.yaml"), "format: palisade-ruleset/1\nname: t\nversion: 1.0\nrules: [a.yaml]\n");
    RuleSetException e = assertThrows(RuleSetException.class, () -> RuleSetLoader.load(tmp));
    assertTrue(e.getMessage().startsWith("ruleset.yaml:3: field version"), e.getMessage());
    Files.writeString(tmp.resolve("ruleset.yaml"), "format: palisade-ruleset/1\nname: t\nversion: 1.0.0\nrules: [a.yaml]\n");
    e = assertThrows(RuleSetException.class, () -> RuleSetLoader.load(tmp));
    assertEquals("a.yaml", e.file());
    Files.writeString(tmp.resolve("ruleset.yaml"), "format: palisade-ruleset/1\nname: t\nversion: 1.0.0\nrules: [../a.yaml]\n");
    assertThrows(RuleValidationException.class, () -> RuleSetLoader.load(tmp));
  }

  @Test
  void duplicateRuleIdsAcrossFilesAreRejected(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("a.yaml"), GOOD_RULE);
    Files.writeString(tmp.resolve("b.yaml"), GOOD_RULE);
    RuleValidationException e = assertThrows(RuleValidationException.class, () -> RuleSetLoader.load(tmp));
    assertEquals("test.one", e.ruleId());
    assertTrue(e.getMessage().contains("duplicate rule id"), e.getMessage());
  }

  @Test
  void pathGlobs() {
    assertTrue(PathGlob.of("**/*.sh").matches("app/entrypoint.sh"));
    assertTrue(PathGlob.of("**/*.sh").matches("x.sh"));
    assertTrue(PathGlob.of("usr/share/doc/**").matches("/usr/share/doc/a/b"));
    assertTrue(PathGlob.of("**/*.sh").matches("app.jar!/scripts/run.sh"));
    assertTrue(!PathGlob.of("etc/*.conf").matches("etc/a/b.conf"));
  }
}
