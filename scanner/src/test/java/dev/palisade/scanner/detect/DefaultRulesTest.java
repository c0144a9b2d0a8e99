package dev.palisade.scanner.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.scanner.rules.Rule;
import dev.palisade.scanner.rules.RuleSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every default rule against its positive and negative samples (detect/cases.yaml). */
class DefaultRulesTest {

  static RuleSet rules;
  static RuleEngine engine;

  @BeforeAll
  static void load() throws Exception {
    rules = Policies.defaultRules();
    engine = RuleEngine.compile(rules);
  }

  static List<SampleCase> cases() throws Exception {
    return SampleCase.load("/detect/cases.yaml");
  }

  private static Set<String> ids(List<Detection> ds) {
    return ds.stream().map(Detection::ruleId).collect(Collectors.toSet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sampleGivesTheExpectedVerdict(SampleCase c) {
    List<Detection> found = c.run(engine, 1 << 16);
    Set<String> ids = ids(found);
    if (c.rule().equals(SampleCase.ANY_RULE)) {
      assertTrue(found.isEmpty(), c.name() + " should match nothing, got " + found);
      return;
    }
    assertTrue(rules.rule(c.rule()) != null, "unknown rule " + c.rule());
    assertEquals(c.expectMatch(), ids.contains(c.rule()), c.name() + ": " + found);
  }

  /** Chunk boundaries must not change anything: not the verdicts, offsets nor evidence. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resultsDoNotDependOnChunking(SampleCase c) {
    if (c.config()) {
      return;
    }
    String whole = c.runFile(engine, c.path(), Integer.MAX_VALUE).toString();
    for (int chunk : new int[] {1, 2, 7, 511, 4096}) {
      assertEquals(whole, c.runFile(engine, c.path(), chunk).toString(), c.name() + " in chunks of " + chunk);
    }
  }

  @Test
  void everyRuleHasAPositiveAndANegativeSample() throws Exception {
    Set<String> positive = new HashSet<>();
    Set<String> negative = new HashSet<>();
    for (SampleCase c : cases()) {
      (c.expectMatch() ? positive : negative).add(c.rule());
    }
    List<String> missing = new ArrayList<>();
    for (Rule r : rules.rules()) {
      if (!positive.contains(r.id())) {
        missing.add(r.id() + " (positive)");
      }
      if (!negative.contains(r.id())) {
        missing.add(r.id() + " (negative)");
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void ruleSetIdentity() {
    RuleSetInfo info = engine.info();
    assertEquals("palisade-default", info.name());
    assertEquals("1.1.0", info.version());
    assertTrue(info.digest().matches("sha256:[0-9a-f]{64}"));
    assertEquals(rules.rules().size(), info.ruleCount());
    assertFalse(rules.knownBad().isEmpty());
  }
}
