package dev.palisade.scanner.cli;

import dev.palisade.cli.BuildInfoVersionProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Entry point of {@code scanner}. */
@Command(
    name = "scanner",
    mixinStandardHelpOptions = true,
    versionProvider = BuildInfoVersionProvider.class,
    description = "Keeps poisoned container images away: scans them for miners and known-bad content.",
    subcommands = {ScanCommand.class, VerifyCommand.class, VerifyBundleCommand.class, PullCommand.class, RulesCommand.class, picocli.CommandLine.HelpCommand.class})
public final class ScannerCli implements Callable<Integer> {

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    RulesLoading.prefetch(args);
    System.exit(newCommandLine().execute(args));
  }

  public static CommandLine newCommandLine() {
    ErrorReporter errors = new ErrorReporter();
    CommandLine commandLine = new CommandLine(new ScannerCli())
        .setExecutionExceptionHandler(errors)
        .setParameterExceptionHandler(errors);
    documentExitCodes(commandLine);
    return commandLine;
  }

  private static void documentExitCodes(CommandLine commandLine) {
    commandLine.getCommandSpec().usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(ExitCodes.help());
    commandLine.getSubcommands().values().forEach(ScannerCli::documentExitCodes);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
