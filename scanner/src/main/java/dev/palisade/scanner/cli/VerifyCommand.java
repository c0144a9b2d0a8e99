package dev.palisade.scanner.cli;

import dev.palisade.cli.RegistryClients;
import dev.palisade.cli.RegistryOptions;
import dev.palisade.scanner.verify.ImageResolver;
import dev.palisade.scanner.verify.ImageVerificationRun;
import dev.palisade.scanner.verify.ResolvedImage;
import dev.palisade.scanner.verify.TrustOptions;
import dev.palisade.scanner.verify.VerificationText;
import dev.palisade.signing.verify.ImageVerification;
import dev.palisade.signing.verify.VerificationException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scanner verify IMAGE}: is this exact image signed by someone we trust, with the attestations we need? */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verifies an image's Sigstore signatures and attestations (cosign v3 layout: OCI referrers, or the sha256-<hex> tag).",
      "",
      "IMAGE is a registry reference (host/repo:tag, repo@sha256:...) or an OCI layout (oci:DIR[:TAG]).",
      "A tag is resolved to a digest once; everything after uses only that digest.",
      "Trust comes from --policy FILE, or from --key / --certificate-identity[-regexp] + --certificate-oidc-issuer[-regexp].",
    })
public final class VerifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "The image to verify.")
  String image;

  @Option(names = "--repository", paramLabel = "REGISTRY/REPO",
      description = "For an OCI layout: the repository it stands for, to pick the policy rule (default: oci:DIR).")
  String layoutRepository;

  @Mixin TrustOptions trust = new TrustOptions();

  @Mixin RegistryOptions registry = new RegistryOptions();

  @Override
  public Integer call() throws Exception {
    RegistryClients registries = new RegistryClients(registry, System.getenv(), System.in);
    registries.prepare();
    PrintWriter err = spec.commandLine().getErr();
    try (ResolvedImage resolved = ImageResolver.resolve(image, layoutRepository, registries, note -> { })) {
      ImageVerification result = ImageVerificationRun.run(resolved, trust);
      PrintWriter out = spec.commandLine().getOut();
      out.print(VerificationText.render(resolved, result));
      out.flush();
      return ExitCodes.CLEAN;
    } catch (VerificationException e) {
      return report(err, e);
    }
  }

  /** One clear line, then the details behind it, then the documented exit code. */
  static int report(PrintWriter err, VerificationException e) {
    err.println("scanner: " + e.getMessage());
    for (String detail : e.details()) {
      err.println("  - " + detail);
    }
    err.flush();
    return ExitCodes.of(e);
  }
}
