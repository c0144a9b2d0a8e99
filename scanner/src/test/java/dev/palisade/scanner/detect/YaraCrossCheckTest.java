package dev.palisade.scanner.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.palisade.scanner.rules.RuleSet;
import dev.palisade.scanner.rules.RuleSetLoader;
import dev.palisade.scanner.rules.YaraExport;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our engine and the real {@code yara} CLI must agree, rule by rule and sample by sample, for every
 * rule that YaraExport can express. Rules it cannot express are named, not silently dropped.
 */
class YaraCrossCheckTest {

  /** Rules of the default set YARA cannot express, and why (see YaraExport). */
  private static final Set<String> DEFAULT_NOT_EXPORTABLE =
      Set.of("miner.wallet.cryptonote", "miner.cli.arguments", "miner.config.tool-name",
          // path globs are their type test (YARA sees no paths)
          "hook.java.javaagent-env", "hook.npm.install-script", "hook.python.pth-exec", "hook.python.sitecustomize",
          "persistence.cron.suspicious-entry", "persistence.ld-so-preload", "persistence.login-script",
          "persistence.ssh.authorized-keys", "persistence.systemd.suspicious-unit",
          // Unix mode bits (YARA sees no modes)
          "persistence.setuid.script", "persistence.setuid.shell", "persistence.setuid.unusual-location");

  static Path yara() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path p = Path.of(dir, "yara");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    if (Files.isExecutable(Path.of("/usr/bin/yara"))) {
      return Path.of("/usr/bin/yara");
    }
    fail("the yara CLI is required for this cross-check and was not found: apt-get install -y yara");
    return null;
  }

  @Test
  void defaultRulesAgreeWithYara(@TempDir Path tmp) throws Exception {
    RuleSet set = Policies.defaultRules();
    List<YaraExport.Result> results = YaraExport.exportAll(set);
    Set<String> notExportable = new TreeSet<>();
    for (YaraExport.Result r : results) {
      if (!r.exportable()) {
        notExportable.add(r.ruleId());
      }
    }
    assertEquals(new TreeSet<>(DEFAULT_NOT_EXPORTABLE), notExportable);
    crossCheck(tmp, set, results, allSamples());
  }

  @Test
  void everyFormatConstructAgreesWithYara(@TempDir Path tmp) throws Exception {
    RuleSet set = RuleSetLoader.load(FeatureRulesTest.featuresFile());
    List<YaraExport.Result> results = YaraExport.exportAll(set);
    for (YaraExport.Result r : results) {
      assertTrue(r.exportable(), r.ruleId() + ": " + r.notExportable());
    }
    crossCheck(tmp, set, results, allSamples());
  }

  private static List<SampleCase> allSamples() throws Exception {
    List<SampleCase> all = new ArrayList<>(SampleCase.load("/detect/cases.yaml"));
    all.addAll(SampleCase.load("/detect/feature-cases.yaml"));
    all.removeIf(SampleCase::config);
    return all;
  }

  private static void crossCheck(Path tmp, RuleSet set, List<YaraExport.Result> results, List<SampleCase> samples) throws Exception {
    Path rulesFile = tmp.resolve("rules.yar");
    Files.writeString(rulesFile, YaraExport.source(results));
    Path samplesDir = Files.createDirectories(tmp.resolve("samples"));
    Map<String, SampleCase> byFile = new LinkedHashMap<>();
    int i = 0;
    for (SampleCase c : samples) {
      String name = String.format("%03d-%s.bin", i++, c.name());
      Files.write(samplesDir.resolve(name), c.bytes());
      byFile.put(name, c);
    }
    Set<String> yaraHits = runYara(rulesFile, samplesDir, tmp);
    // YARA matches only what is literally in the bytes: our decode-and-rescan stays off here.
    RuleEngine engine = RuleEngine.compileLiteralOnly(set);
    List<String> disagreements = new ArrayList<>();
    int positives = 0;
    for (Map.Entry<String, SampleCase> e : byFile.entrySet()) {
      // A neutral path: YARA sees no paths, so no include/exclude glob may apply on our side either.
      Set<String> ours = new HashSet<>();
      e.getValue().runFile(engine, "palisade-sample", 1 << 16).forEach(d -> ours.add(d.ruleId()));
      for (YaraExport.Result r : results) {
        if (!r.exportable()) {
          continue;
        }
        boolean we = ours.contains(r.ruleId());
        boolean they = yaraHits.contains(r.yaraName() + " " + e.getKey());
        positives += we ? 1 : 0;
        if (we != they) {
          disagreements.add(r.ruleId() + " on " + e.getKey() + ": palisade=" + we + " yara=" + they);
        }
      }
    }
    assertEquals(List.of(), disagreements, "rules:\n" + YaraExport.source(results));
    assertTrue(positives > 0, "the cross-check compared no positive verdict at all");
  }

  private static Set<String> runYara(Path rules, Path dir, Path tmp) throws Exception {
    Path out = tmp.resolve("yara.out");
    Path err = tmp.resolve("yara.err");
    Process p = new ProcessBuilder(yara().toString(), "-w", "-r", rules.toString(), dir.toString())
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("yara did not finish within 120 s");
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "yara failed: " + stderr);
    Set<String> hits = new HashSet<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      int space = line.indexOf(' ');
      if (space > 0) {
        hits.add(line.substring(0, space) + " " + Path.of(line.substring(space + 1)).getFileName());
      }
    }
    return hits;
  }
}
