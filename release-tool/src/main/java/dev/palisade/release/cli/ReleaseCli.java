package dev.palisade.release.cli;

import dev.palisade.cli.BuildInfoVersionProvider;
import dev.palisade.cli.UsageException;
import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
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
    description = "Builds, scans, documents and pushes a Palisade gateway release, reproducibly.",
    subcommands = {
      BaseCommand.class,
      KeygenCommand.class,
      BuildCommand.class,
      CompareCommand.class,
      VerifyReproducibleCommand.class,
      SbomCommand.class,
      ProvenanceCommand.class,
      PushCommand.class,
      ReleaseCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {})
public final class ReleaseCli implements Callable<Integer> {

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(newCommandLine(System.getenv(), System.in).execute(args));
  }

  public static CommandLine newCommandLine() {
    return newCommandLine(System.getenv(), System.in);
  }

  /**
   * The CLI with its environment and stdin injected (tests pass their own), and the one mapping from
   * failures to exit codes: {@link Failure}.
   */
  public static CommandLine newCommandLine(Map<String, String> env, InputStream stdin) {
    CommandLine cli = new CommandLine(new ReleaseCli(), new Factory(env, stdin));
    Map<String, String> codes = exitCodeTable();
    cli.getCommandSpec().usageMessage().exitCodeList(codes);
    cli.getSubcommands().values().forEach(sub -> {
      sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n");
      sub.getCommandSpec().usageMessage().exitCodeList(codes);
    });
    cli.setExecutionExceptionHandler((failure, commandLine, parseResult) -> {
      if (failure instanceof ReleaseException e) {
        commandLine.getErr().println("release-tool: " + e.getMessage());
        return e.failure().exitCode();
      }
      if (failure instanceof UsageException e) {
        commandLine.getErr().println("release-tool: " + e.getMessage());
        return Failure.USAGE.exitCode();
      }
      commandLine.getErr().println("release-tool: internal error (please report): " + failure);
      failure.printStackTrace(commandLine.getErr());
      return 1;
    });
    return cli;
  }

  static Map<String, String> exitCodeTable() {
    Map<String, String> codes = new LinkedHashMap<>();
    codes.put("0", "success (release: built, scanned clean, and pushed unless --dry-run)");
    codes.put("1", "internal error");
    for (Failure f : Failure.values()) {
      codes.put(String.valueOf(f.exitCode()), f.description());
    }
    return codes;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Gives commands the injected environment and stdin. */
  static final class Factory implements CommandLine.IFactory {
    private final Map<String, String> env;
    private final InputStream stdin;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    Factory(Map<String, String> env, InputStream stdin) {
      this.env = Map.copyOf(env);
      this.stdin = stdin;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
      K made = fallback.create(type);
      if (made instanceof EnvironmentAware aware) {
        aware.environment(env, stdin);
      }
      return made;
    }
  }

  /** Commands that read environment variables or stdin get them from here, never from System. */
  interface EnvironmentAware {
    void environment(Map<String, String> env, InputStream stdin);
  }
}
