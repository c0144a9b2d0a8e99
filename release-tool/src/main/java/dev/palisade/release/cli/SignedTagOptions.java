package dev.palisade.release.cli;

import dev.palisade.cli.UsageException;
import dev.palisade.release.git.TagTrust;
import dev.palisade.release.pipeline.BuildStage;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --require-signed-tag [--allowed-signers FILE] [--allowed-keyring FILE]}: for the commands
 * that read the release tag and build.
 */
final class SignedTagOptions {

  @Option(names = "--require-signed-tag",
      description = "Refuse (10) unless the release tag is an annotated tag signed with an SSH key that"
          + " --allowed-signers allows (for the tagger's email, namespace git) or with an OpenPGP key in"
          + " --allowed-keyring that is neither expired nor revoked.")
  boolean requireSignedTag;

  @Option(names = "--allowed-signers", paramLabel = "FILE",
      description = "OpenSSH allowed-signers file (ssh-keygen(1), ALLOWED SIGNERS) for SSH-signed tags.")
  Path allowedSigners;

  @Option(names = "--allowed-keyring", paramLabel = "FILE",
      description = "Armored OpenPGP public keys (gpg --armor --export) for OpenPGP-signed tags.")
  Path allowedKeyring;

  /** The inputs, with the signed-tag requirement when asked for; usage errors before any work. */
  BuildStage.Inputs apply(BuildStage.Inputs in) throws UsageException {
    if (!requireSignedTag) {
      if (allowedSigners != null || allowedKeyring != null) {
        throw new UsageException((allowedSigners != null ? "--allowed-signers" : "--allowed-keyring")
            + " is only used with --require-signed-tag");
      }
      return in;
    }
    if (allowedSigners == null && allowedKeyring == null) {
      throw new UsageException("--require-signed-tag needs --allowed-signers FILE (SSH) or --allowed-keyring FILE"
          + " (OpenPGP), or both");
    }
    if (in.snapshot()) {
      throw new UsageException("--require-signed-tag: a --snapshot build has no tag to verify");
    }
    return new BuildStage.Inputs(in.repo(), in.baseConfig(), in.imageConfig(), in.snapshot(), in.cacheDir(),
        in.debDir(), in.toolVersion(), new TagTrust(existing("--allowed-signers", allowedSigners),
            existing("--allowed-keyring", allowedKeyring)));
  }

  private static Path existing(String option, Path file) throws UsageException {
    if (file == null) {
      return null;
    }
    if (!Files.isRegularFile(file)) {
      throw new UsageException(option + " " + file + ": no such file");
    }
    return file.toAbsolutePath().normalize();
  }
}
