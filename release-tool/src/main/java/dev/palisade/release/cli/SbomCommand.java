package dev.palisade.release.cli;

import dev.palisade.cli.UsageException;
import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.base.BaseConfig;
import dev.palisade.release.image.BuiltImage;
import dev.palisade.release.image.ImageConfigFile;
import dev.palisade.release.image.LayoutImage;
import dev.palisade.release.pipeline.BuildStage;
import dev.palisade.release.sbom.MavenLicenses;
import dev.palisade.release.sbom.SbomGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sbom", mixinStandardHelpOptions = true,
    description = {"Writes the CycloneDX SBOM of an image already built into an OCI layout (the same bytes 'release'"
        + " writes for it).",
        "Commit facts come from the image's labels; the jars from --repo's classpath file, which must match the"
            + " jars in the image byte for byte."})
final class SbomCommand implements Callable<Integer>, ReleaseCli.EnvironmentAware {

  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin LayoutImageOptions image;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "Where the SBOM goes.")
  Path output;

  private Map<String, String> env = Map.of();

  @Override
  public void environment(Map<String, String> environment, InputStream stdin) {
    this.env = environment;
  }

  @Override
  public Integer call() throws ReleaseException, UsageException {
    BuiltImage built = load(common, image, env);
    String sbom = new SbomGenerator(MavenLicenses.defaultRepository()).generate(built);
    write(output, sbom);
    spec.commandLine().getOut().println(built.imageName() + "@" + built.digest() + " -> " + output);
    return 0;
  }

  static BuiltImage load(CommonOptions common, LayoutImageOptions image, Map<String, String> env)
      throws ReleaseException, UsageException {
    Path layout = image.layout();
    LayoutImage.entry(layout); // a wrong --image first, before the checkout's files
    BuildStage.Inputs in = common.inputs(env);
    BaseConfig base = BaseConfig.load(in.baseConfig());
    ImageConfigFile imageConfig = ImageConfigFile.load(in.imageConfig(), in.repo());
    return LayoutImage.load(layout, imageConfig, base);
  }

  static void write(Path file, String content) throws ReleaseException {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new ReleaseException(Failure.IO, "cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
