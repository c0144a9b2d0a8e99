package dev.palisade.release.cli;

import dev.palisade.cli.UsageException;
import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.git.GitFacts;
import dev.palisade.release.pipeline.BuildStage;
import dev.palisade.release.pipeline.WorkDirs;
import dev.palisade.release.verify.CleanRebuild;
import dev.palisade.release.verify.LayoutComparison;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify-reproducible", mixinStandardHelpOptions = true,
    description = {"Rebuilds the commit at --repo from a clean clone in a temporary directory and compares the"
        + " image with --against (a build of the same commit, e.g. the one 'release' wrote).",
        "On a mismatch exits 16 and says what differs: the config (JSON path), or which layer and which file"
            + " (header field or content).",
        "With --require-signed-tag the release tag is verified first, as 'build' does."})
final class VerifyReproducibleCommand implements Callable<Integer>, ReleaseCli.EnvironmentAware {

  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin SignedTagOptions signedTag;

  @Option(names = "--against", paramLabel = "oci:DIR", defaultValue = "oci:target/release/image",
      description = "The build to compare with (default: ${DEFAULT-VALUE}).")
  String against;

  @Option(names = "--prepare", paramLabel = "COMMAND", defaultValue = "release/prepare-gateway.sh",
      description = "Run in the clean clone before the build, with sh -c (default: ${DEFAULT-VALUE}).")
  String prepare;

  private Map<String, String> env = Map.of();

  @Override
  public void environment(Map<String, String> environment, InputStream stdin) {
    this.env = environment;
  }

  @Override
  public Integer call() throws ReleaseException, UsageException {
    if (!against.startsWith("oci:")) {
      throw new ReleaseException(Failure.USAGE, "--against must be oci:DIR");
    }
    BuildStage.Inputs in = signedTag.apply(common.inputs(env));
    var events = Output.progress(spec.commandLine().getErr(), false);
    GitFacts git = new BuildStage(events).git(in);
    Path work = WorkDirs.temporary(in.cacheDir());
    try {
      LayoutComparison.Result result = new CleanRebuild(events).verify(new CleanRebuild.Request(in.repo(),
          git.commit(), in.snapshot(), in.cacheDir(), in.debDir(), in.toolVersion(), prepare, work),
          Path.of(against.substring(4)));
      if (!result.identical()) {
        throw new ReleaseException(Failure.NOT_REPRODUCIBLE, "not reproducible: the clean rebuild differs\n"
            + result.describe());
      }
      spec.commandLine().getOut().println("reproducible: " + result.first() + " (commit " + git.commit() + ")");
      return 0;
    } finally {
      WorkDirs.delete(work);
    }
  }
}
