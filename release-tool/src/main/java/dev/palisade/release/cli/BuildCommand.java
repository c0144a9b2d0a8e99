package dev.palisade.release.cli;

import dev.palisade.cli.UsageException;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.image.BuiltImage;
import dev.palisade.release.image.ImageExporter;
import dev.palisade.release.image.ImageTarget;
import dev.palisade.release.pipeline.BuildStage;
import dev.palisade.release.pipeline.WorkDirs;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "build", mixinStandardHelpOptions = true,
    description = "Builds the gateway image reproducibly from the commit at --repo (no scan, no push).")
final class BuildCommand implements Callable<Integer>, ReleaseCli.EnvironmentAware {

  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin SignedTagOptions signedTag;

  @Option(names = "--to", paramLabel = "TARGET", defaultValue = "oci:target/release/image",
      description = "oci:DIR or docker-archive:FILE (default: ${DEFAULT-VALUE}).")
  String to;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  private Map<String, String> env = Map.of();

  @Override
  public void environment(Map<String, String> environment, InputStream stdin) {
    this.env = environment;
  }

  @Override
  public Integer call() throws ReleaseException, UsageException {
    ImageTarget target = ImageTarget.parse(to);
    if (target.kind() == ImageTarget.Kind.REGISTRY) {
      throw new UsageException("build writes files; use 'release --to " + to + "' to scan and push");
    }
    BuildStage.Inputs in = signedTag.apply(common.inputs(env));
    var events = Output.progress(spec.commandLine().getErr(), json);
    Path layout = target.kind() == ImageTarget.Kind.OCI_LAYOUT ? target.path() : WorkDirs.temporary(in.cacheDir());
    ImageExporter.prepareLayoutDir(layout);
    try {
      BuiltImage image = new BuildStage(events).run(in, layout);
      if (target.kind() == ImageTarget.Kind.DOCKER_ARCHIVE) {
        ImageExporter.toDockerArchive(image, target.path());
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("image", image.imageName() + ":" + image.tag());
      result.put("digest", image.digest().toString());
      result.put("configDigest", image.configDigest().toString());
      result.put("version", image.git().version());
      result.put("commit", image.git().commit());
      result.put("target", target.toString());
      if (json) {
        spec.commandLine().getOut().println(Output.JSON.writeValueAsString(result));
      } else {
        spec.commandLine().getOut().println(image.imageName() + ":" + image.tag() + "@" + image.digest() + " -> "
            + target);
      }
      return 0;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    } finally {
      if (target.kind() != ImageTarget.Kind.OCI_LAYOUT) {
        WorkDirs.delete(layout);
      }
    }
  }
}
