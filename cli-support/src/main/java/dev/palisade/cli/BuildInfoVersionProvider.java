package dev.palisade.cli;

import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** picocli version provider: the root command's name selects whose build info is printed. */
public final class BuildInfoVersionProvider implements IVersionProvider {

  @Spec CommandSpec spec;

  @Override
  public String[] getVersion() {
    return new String[] {BuildInfo.of(spec.root().name()).versionLine()};
  }
}
