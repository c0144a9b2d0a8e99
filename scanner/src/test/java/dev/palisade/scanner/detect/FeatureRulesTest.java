package dev.palisade.scanner.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.palisade.scanner.rules.RuleSet;
import dev.palisade.scanner.rules.RuleSetLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every construct of the rule format (wide, nocase, base64, hex jumps, facts, sizes, magic at an offset) on its samples. */
class FeatureRulesTest {

  static RuleSet rules;
  static RuleEngine engine;

  static Path featuresFile() throws Exception {
    return Path.of(FeatureRulesTest.class.getResource("/detect/features/features.yaml").toURI());
  }

  @BeforeAll
  static void load() throws Exception {
    rules = RuleSetLoader.load(featuresFile());
    engine = RuleEngine.compile(rules);
  }

  static List<SampleCase> cases() throws Exception {
    return SampleCase.load("/detect/feature-cases.yaml");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sampleGivesTheExpectedVerdict(SampleCase c) {
    for (int chunk : new int[] {1, 3, 1 << 16}) {
      List<String> ids = c.run(engine, chunk).stream().map(Detection::ruleId).collect(Collectors.toList());
      assertEquals(c.expectMatch(), ids.contains(c.rule()), c.name() + " in chunks of " + chunk + ": " + ids);
    }
  }
}
