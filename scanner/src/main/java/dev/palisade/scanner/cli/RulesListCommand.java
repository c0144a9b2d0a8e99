package dev.palisade.scanner.cli;

import dev.palisade.scanner.rules.Rule;
import dev.palisade.scanner.rules.RuleSet;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scanner rules list}: the rules of a set, with its identity (name, version, digest). */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the rules of a rule set.")
public final class RulesListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin RulesOptions options = new RulesOptions();

  @Option(names = "--category", paramLabel = "NAME", description = "Only rules of this category.")
  String category;

  @Override
  public Integer call() throws Exception {
    RuleSet set = options.load();
    PrintWriter out = spec.commandLine().getOut();
    out.printf("Rule set %s %s (%s), %d rules, %d known-bad hashes%n", set.name(), set.version(), set.digest(),
        set.rules().size(), set.knownBad().size());
    out.printf("%-42s %-9s %-20s %s%n", "ID", "SEVERITY", "CATEGORY", "TITLE");
    for (Rule r : set.rules()) {
      if (category == null || category.equals(r.category())) {
        out.printf("%-42s %-9s %-20s %s%n", r.id(), r.severity(), r.category(), r.title());
      }
    }
    out.flush();
    return ExitCodes.CLEAN;
  }
}
