package dev.palisade.release.cli;

import dev.palisade.cli.RegistryClients;
import dev.palisade.cli.RegistryOptions;
import dev.palisade.cli.UsageException;
import dev.palisade.oci.reference.ImageReference;
import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.oci.tls.TrustMaterialException;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.image.ImageTarget;
import dev.palisade.release.image.LayoutImage;
import dev.palisade.release.push.LayoutPusher;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "push", mixinStandardHelpOptions = true,
    description = {"Pushes an image already built into an OCI layout, as its bytes are (same digest), then reads the"
        + " tag back. No scan gate: 'release' is the command that refuses unscanned images.",
        "Registry credentials: --username with --password-stdin, REGISTRY_USERNAME/REGISTRY_PASSWORD,"
            + " GITHUB_TOKEN for ghcr.io, or a Docker config.json; never on the command line."})
final class PushCommand implements Callable<Integer>, ReleaseCli.EnvironmentAware {

  @Spec CommandSpec spec;
  @Mixin LayoutImageOptions image;
  @Mixin RegistryOptions registry;

  @Option(names = "--to", paramLabel = "REGISTRY/REPO[:TAG]", required = true,
      description = "Where to push; without a tag, the layout's ref name is the tag.")
  String to;

  private Map<String, String> env = Map.of();
  private InputStream stdin = InputStream.nullInputStream();

  @Override
  public void environment(Map<String, String> environment, InputStream in) {
    this.env = environment;
    this.stdin = in;
  }

  @Override
  public Integer call() throws ReleaseException, UsageException, java.io.IOException {
    ImageTarget target = ImageTarget.parse(to);
    if (target.kind() != ImageTarget.Kind.REGISTRY) {
      throw new UsageException("push --to " + to + ": expected REGISTRY/REPO[:TAG]; 'build --to' writes files");
    }
    Path layout = image.layout();
    LayoutImage.Entry entry = LayoutImage.entry(layout);
    ImageReference ref = target.reference();
    RegistryClients clients = new RegistryClients(registry, env, stdin);
    try {
      clients.prepare();
      try (RegistryClient client = clients.forRegistry(ref.registry(), e -> {})) {
        ImageReference pushed = new LayoutPusher(client, Output.progress(spec.commandLine().getErr(), false))
            .push(layout, entry.digest(), entry.tag(), ref);
        spec.commandLine().getOut().println(pushed);
      }
    } catch (TrustMaterialException e) {
      throw new UsageException("--ca-file: " + e.getMessage());
    }
    return 0;
  }
}
