package dev.palisade.release.cli;

import dev.palisade.cli.BuildInfoVersionProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Entry point of {@code release-tool}: the build CI runs on a tag. */
@Command(
    name = "release-tool",
    mixinStandardHelpOptions = true,
    versionProvider = BuildInfoVersionProvider.class,
    description = "Builds, scans, documents, pushes and signs a Palisade gateway release.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "2:bad usage",
    })
public final class ReleaseCli implements Callable<Integer> {

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  public static CommandLine newCommandLine() {
    return new CommandLine(new ReleaseCli());
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
