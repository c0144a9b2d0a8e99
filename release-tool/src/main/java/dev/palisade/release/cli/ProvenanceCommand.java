package dev.palisade.release.cli;

import dev.palisade.cli.UsageException;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.base.BaseConfig;
import dev.palisade.release.image.BuiltImage;
import dev.palisade.release.image.ImageConfigFile;
import dev.palisade.release.pipeline.BuildStage;
import dev.palisade.release.provenance.ProvenanceGenerator;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "provenance", mixinStandardHelpOptions = true,
    description = {"Writes the SLSA v1 provenance (in-toto statement, unsigned) of an image already built into an"
        + " OCI layout.",
        "Commit facts come from the image's labels; base, source and jars from --repo, checked against the image."
            + " In GitHub Actions the builder and invocation come from the environment, as in 'release'."})
final class ProvenanceCommand implements Callable<Integer>, ReleaseCli.EnvironmentAware {

  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin LayoutImageOptions image;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true,
      description = "Where the provenance statement goes.")
  Path output;

  private Map<String, String> env = Map.of();

  @Override
  public void environment(Map<String, String> environment, InputStream stdin) {
    this.env = environment;
  }

  @Override
  public Integer call() throws ReleaseException, UsageException {
    Instant started = Instant.now();
    BuiltImage built = SbomCommand.load(common, image, env);
    BuildStage.Inputs in = common.inputs(env);
    BaseConfig base = BaseConfig.load(in.baseConfig());
    ImageConfigFile imageConfig = ImageConfigFile.load(in.imageConfig(), in.repo());
    Map<String, String> cliInputs = new LinkedHashMap<>();
    cliInputs.put("image", image.image);
    cliInputs.put("snapshot", String.valueOf(built.git().snapshot()));
    String provenance = new ProvenanceGenerator(env).generate(built, base, imageConfig.sourceUrl(),
        new ProvenanceGenerator.Inputs(cliInputs, in.toolVersion(), started, Instant.now()));
    SbomCommand.write(output, provenance);
    spec.commandLine().getOut().println(built.imageName() + "@" + built.digest() + " -> " + output);
    return 0;
  }
}
