package dev.palisade.scanner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code scanner rules}: tools for rule authors and for distributing rule sets. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "List, test, pack and export detection rules.",
    subcommands = {RulesListCommand.class, RulesTestCommand.class, RulesPackCommand.class, RulesYaraCommand.class})
public final class RulesCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCodes.CLEAN;
  }
}
