package dev.palisade.gateway.cli;

import dev.palisade.gateway.ExitCode;
import dev.palisade.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gateway config check FILE}. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with config files.",
    subcommands = ConfigCommand.Check.class)
public final class ConfigCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE.code();
  }

  /** Validates a config exactly as {@code serve} would, including decrypting its keys. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Validate a config file (and decrypt its keys) without serving.")
  public static final class Check implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The YAML config.")
    Path file;

    @Mixin SecretOptions secrets;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Logging.configure();
      GatewayConfig config = ConfigLoading.load(file, secrets);
      spec.commandLine().getOut().printf(
          "%s: OK (%d providers, %d routes, %d consumers)%n",
          file, config.providers().size(), config.routes().size(), config.consumers().size());
      return ExitCode.OK.code();
    }
  }
}
