package dev.palisade.release.cli;

import dev.palisade.cli.UsageException;
import dev.palisade.release.pipeline.BuildStage;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --require-signed-tag --allowed-signers FILE}: for the commands that read the release tag and build. */
final class SignedTagOptions {

  @Option(names = "--require-signed-tag",
      description = "Refuse (10) unless the release tag is an annotated tag with an SSH signature by a key that"
          + " --allowed-signers allows (for the tagger's email, namespace git).")
  boolean requireSignedTag;

  @Option(names = "--allowed-signers", paramLabel = "FILE",
      description = "OpenSSH allowed-signers file (ssh-keygen(1), ALLOWED SIGNERS) for --require-signed-tag.")
  Path allowedSigners;

  /** The inputs, with the signed-tag requirement when asked for; usage errors before any work. */
  BuildStage.Inputs apply(BuildStage.Inputs in) throws UsageException {
    if (!requireSignedTag) {
      if (allowedSigners != null) {
        throw new UsageException("--allowed-signers is only used with --require-signed-tag");
      }
      return in;
    }
    if (allowedSigners == null) {
      throw new UsageException("--require-signed-tag needs --allowed-signers FILE");
    }
    if (in.snapshot()) {
      throw new UsageException("--require-signed-tag: a --snapshot build has no tag to verify");
    }
    if (!Files.isRegularFile(allowedSigners)) {
      throw new UsageException("--allowed-signers " + allowedSigners + ": no such file");
    }
    return new BuildStage.Inputs(in.repo(), in.baseConfig(), in.imageConfig(), in.snapshot(), in.cacheDir(),
        in.debDir(), in.toolVersion(), allowedSigners.toAbsolutePath());
  }
}
