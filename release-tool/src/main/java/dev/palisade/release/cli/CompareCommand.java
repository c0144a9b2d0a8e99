package dev.palisade.release.cli;

import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.verify.LayoutComparison;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Compares two OCI layouts of the same image and says where they differ: manifest, config"
        + " (JSON path or key order), or which layer and which file (header field or content).",
        "Exit 0 when the manifests are byte-identical, 16 otherwise."})
final class CompareCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "LAYOUT", description = "The first OCI layout directory.")
  Path first;

  @Parameters(index = "1", paramLabel = "LAYOUT", description = "The second OCI layout directory.")
  Path second;

  @Override
  public Integer call() throws ReleaseException {
    LayoutComparison.Result result;
    try {
      result = LayoutComparison.compare(strip(first), strip(second));
    } catch (IOException e) {
      throw new ReleaseException(Failure.IO, "cannot compare: " + e.getMessage(), e);
    }
    spec.commandLine().getOut().println(result.describe());
    return result.identical() ? 0 : Failure.NOT_REPRODUCIBLE.exitCode();
  }

  private static Path strip(Path p) {
    String s = p.toString();
    return s.startsWith("oci:") ? Path.of(s.substring(4)) : p;
  }
}
