package dev.palisade.release.cli;

import dev.palisade.release.ReleaseException;
import dev.palisade.release.base.AssembledBase;
import dev.palisade.release.base.BaseAssembler;
import dev.palisade.release.base.BaseConfig;
import dev.palisade.release.base.DebFetcher;
import dev.palisade.release.pipeline.BuildStage;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "base", mixinStandardHelpOptions = true,
    description = {"Assembles the base image from the Debian packages pinned in release/base.yaml and checks it"
        + " against the pinned digest.",
        "With --print-digest the pin is not checked: the digest is printed, for a maintainer to pin."})
final class BaseCommand implements Callable<Integer>, ReleaseCli.EnvironmentAware {

  @Spec CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(names = "--print-digest", description = "Assemble without checking the pin and print the digest.")
  boolean printDigest;

  private Map<String, String> env = Map.of();

  @Override
  public void environment(Map<String, String> environment, InputStream stdin) {
    this.env = environment;
  }

  @Override
  public Integer call() throws ReleaseException {
    BuildStage.Inputs in = common.inputs(env);
    var events = Output.progress(spec.commandLine().getErr(), false);
    BaseConfig config = BaseConfig.load(in.baseConfig());
    if (!config.assembled()) {
      spec.commandLine().getOut().println(config.pinnedReference() + " (registry base; nothing to assemble)");
      return 0;
    }
    DebFetcher fetcher = new DebFetcher(in.cacheDir().resolve("debs"), in.debDir(), config.mirrors(), events);
    AssembledBase base = new BaseAssembler(in.cacheDir(), fetcher, events).assemble(config, !printDigest);
    spec.commandLine().getOut().println(printDigest ? base.manifestDigest().toString()
        : config.name() + "@" + base.manifestDigest() + " " + base.layout());
    return 0;
  }
}
