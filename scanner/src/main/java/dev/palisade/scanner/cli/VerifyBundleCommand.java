package dev.palisade.scanner.cli;

import dev.palisade.cli.UsageException;
import dev.palisade.oci.digest.Digest;
import dev.palisade.signing.bundle.BundleJson;
import dev.palisade.signing.bundle.SigstoreBundle;
import dev.palisade.signing.intoto.Statement;
import dev.palisade.signing.keyless.KeylessBundleVerifier;
import dev.palisade.signing.keys.PemKeys;
import dev.palisade.signing.policy.Identity;
import dev.palisade.signing.sign.BlobSigner;
import dev.palisade.signing.tlog.LogEntryVerifier;
import dev.palisade.signing.verify.BundleRejection;
import dev.palisade.signing.verify.Failure;
import dev.palisade.signing.verify.KeyBundleVerifier;
import dev.palisade.signing.verify.TrustedKey;
import dev.palisade.signing.verify.VerificationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scanner verify-bundle}: one bundle against one artifact, in the sigstore-conformance CLI
 * protocol ({@code --bundle F --certificate-identity I --certificate-oidc-issuer U [--trusted-root F]
 * FILE|sha256:HEX}, or {@code --key PEM} instead of the identity pair). Exit 0 only when it verifies.
 */
@Command(
    name = "verify-bundle",
    mixinStandardHelpOptions = true,
    description = {
      "Verifies one Sigstore bundle against a file or a sha256:HEX digest (sigstore-conformance CLI protocol).",
      "Keyless bundles are verified by sigstore-java's KeylessVerifier against --trusted-root; key bundles with --key.",
    })
public final class VerifyBundleCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "The bundle (.sigstore.json).")
  Path bundleFile;

  @Option(names = "--certificate-identity", paramLabel = "SAN", description = "The signer's identity (keyless).")
  String identity;

  @Option(names = "--certificate-oidc-issuer", paramLabel = "URL", description = "The signer's OIDC issuer (keyless).")
  String issuer;

  @Option(names = "--key", paramLabel = "PEM", description = "The signer's public key (key bundles).")
  Path key;

  @Option(names = "--trusted-root", paramLabel = "FILE",
      description = "Sigstore trusted_root.json (keyless; default: the public-good root pinned in this build).")
  Path trustedRoot;

  @Option(names = "--require-tlog",
      description = "Key bundles: refuse one without a transparency-log entry (entries present are always checked).")
  boolean requireTlog;

  @Parameters(index = "0", paramLabel = "FILE|sha256:HEX", description = "The artifact, or its digest.")
  String artifact;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if ((key == null) == (identity == null && issuer == null)) {
      throw new UsageException("give either --key, or --certificate-identity with --certificate-oidc-issuer");
    }
    if (key == null && (identity == null || issuer == null)) {
      throw new UsageException("--certificate-identity and --certificate-oidc-issuer go together");
    }
    byte[] sha256 = artifactDigest();
    byte[] json = read(bundleFile);
    try {
      String signer;
      if (key != null) {
        SigstoreBundle bundle = BundleJson.parse(json, bundleFile.toString());
        List<TrustedKey> keys = List.of(new TrustedKey(key.getFileName().toString(), PemKeys.readPublicKey(key)));
        TrustedKey signedBy;
        if (bundle.messageSignature() != null) {
          signedBy = KeyBundleVerifier.verifyMessage(bundle, sha256, keys);
        } else {
          signedBy = KeyBundleVerifier.verifyDsse(bundle, keys);
          Statement statement = Statement.parse(bundle.dsse().payload(), bundleFile.toString());
          if (!statement.coversDigest(new Digest("sha256", HexFormat.of().formatHex(sha256)))) {
            throw new BundleRejection(Failure.SIGNATURE_INVALID, "is a statement about another artifact");
          }
        }
        signer = "key " + signedBy.name();
        if (!bundle.material().tlogEntries().isEmpty() || requireTlog) {
          Path root = trustedRoot != null ? trustedRoot : dev.palisade.signing.keyless.PublicGoodRoot.path();
          LogEntryVerifier.Logged logged = new KeylessBundleVerifier(root).logEntries().verify(bundle, signedBy.key(), requireTlog);
          if (logged.time() != null) {
            signer += ", logged " + logged.time();
          }
        }
      } else {
        Path root = trustedRoot != null ? trustedRoot : dev.palisade.signing.keyless.PublicGoodRoot.path();
        signer = new KeylessBundleVerifier(root).verify(json, sha256,
            List.of(new Identity.Certificate(identity, null, issuer, null)));
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("OK: " + bundleFile + " verifies " + artifact + ", signed by " + signer);
      out.flush();
      return ExitCodes.CLEAN;
    } catch (BundleRejection e) {
      return VerifyCommand.report(err, new VerificationException(e.failure(), bundleFile + " " + e.getMessage()));
    }
  }

  private byte[] artifactDigest() throws Exception {
    if (artifact.startsWith("sha256:")) {
      try {
        return HexFormat.of().parseHex(Digest.parse(artifact).hex());
      } catch (IllegalArgumentException e) {
        throw new UsageException("artifact digest '" + artifact + "': " + e.getMessage());
      }
    }
    Path file = Path.of(artifact);
    if (!Files.isRegularFile(file)) {
      throw new UsageException("artifact " + artifact + " is not a file (or give sha256:HEX)");
    }
    return BlobSigner.sha256(file);
  }

  private static byte[] read(Path file) throws UsageException {
    try {
      if (Files.size(file) > BundleJson.MAX_BUNDLE_BYTES) {
        throw new UsageException("bundle " + file + " is too large");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UsageException("cannot read bundle " + file + ": " + e.getMessage());
    }
  }
}
