package dev.palisade.scanner.cli;

import dev.palisade.scanner.rules.RuleSet;
import dev.palisade.scanner.rules.RuleSetException;
import dev.palisade.scanner.rules.RuleSetLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --rules DIR|FILE} option the rules subcommands share (default: the built-in set). */
final class RulesOptions {

  @Option(names = "--rules", paramLabel = "DIR|FILE", description = "A rule set directory, manifest, rule file or rule pack (default: built-in).")
  Path rules;

  RuleSet load() throws RuleSetException {
    return rules == null ? RuleSetLoader.loadDefault() : RuleSetLoader.load(rules);
  }
}
