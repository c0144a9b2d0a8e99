package dev.palisade.scanner.detect;

import dev.palisade.scanner.rules.RuleSet;
import dev.palisade.scanner.rules.RuleSetException;
import dev.palisade.scanner.rules.RuleSetLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's policies/ directory, as tests see it (surefire runs in the module directory). */
final class Policies {

  private Policies() {}

  static Path dir() {
    Path p = Path.of(System.getProperty("user.dir")).resolve("../policies").normalize();
    if (!Files.isRegularFile(p.resolve("ruleset.yaml"))) {
      throw new IllegalStateException("policies/ruleset.yaml not found next to the module at " + p);
    }
    return p;
  }

  static RuleSet defaultRules() throws RuleSetException {
    return RuleSetLoader.load(dir());
  }
}
