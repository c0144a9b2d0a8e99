package dev.palisade.gateway;

import dev.palisade.cli.BuildInfoVersionProvider;
import dev.palisade.gateway.cli.ConfigCommand;
import dev.palisade.gateway.cli.ConsumerKeyCommand;
import dev.palisade.gateway.cli.SecretsCommand;
import dev.palisade.gateway.cli.ServeCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Entry point of the gateway. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    versionProvider = BuildInfoVersionProvider.class,
    description = "An OpenAI-compatible AI gateway.",
    subcommands = {
      ServeCommand.class,
      ConfigCommand.class,
      SecretsCommand.class,
      ConsumerKeyCommand.class
    })
public final class GatewayMain implements Callable<Integer> {

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The CLI with its one mapping from failures to messages and exit codes. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new GatewayMain());
    cli.setExecutionExceptionHandler(
        (failure, commandLine, parseResult) -> {
          ExitCode code = ExitCode.of(failure);
          if (code == ExitCode.INTERNAL) {
            commandLine.getErr().println("gateway: internal error (please report):");
            failure.printStackTrace(commandLine.getErr());
          } else {
            commandLine.getErr().println("gateway: " + failure.getMessage());
          }
          return code.code();
        });
    return cli;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCode.OK.code();
  }
}
