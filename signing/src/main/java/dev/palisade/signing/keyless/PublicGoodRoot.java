package dev.palisade.signing.keyless;

import dev.palisade.oci.digest.Digest;
import dev.palisade.signing.SigningException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The public-good Sigstore trusted root, pinned in the jar so keyless verification needs no
 * network. Source: {@code targets/trusted_root.json} of github.com/sigstore/root-signing at commit
 * 60cf2ce8b2e45d600dc17c4421e8c751e75772be, whose SHA-256 matches that repository's TUF {@code
 * targets.json} (version 14). The TUF chain behind it (sigstore-java's embedded root v10 → root v15 →
 * timestamp, snapshot, targets → this file's length and hash) is verified offline by
 * PublicGoodRootTufTest with sigstore-java's own TUF client, against that commit's metadata in the
 * test resources, at that commit's time (TUF freshness cannot be checked offline; root v15 expired
 * 2026-11-20). Refresh it by repeating that, update {@link #SHA256}, the test's metadata and clock.
 */
public final class PublicGoodRoot {

  static final String RESOURCE = "/dev/palisade/signing/trust/public-good-trusted_root.json";
  /** Checked on every load: a jar whose pinned root was altered refuses to use it. */
  static final String SHA256 = "6494e21ea73fa7ee769f85f57d5a3e6a08725eae1e38c755fc3517c9e6bc0b66";

  private static Path extracted;

  private PublicGoodRoot() {}

  /** The pinned root as a file (sigstore-java reads trusted roots from paths), extracted once per process. */
  public static synchronized Path path() throws SigningException {
    if (extracted != null) {
      return extracted;
    }
    try (InputStream in = PublicGoodRoot.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new SigningException("the pinned public-good trusted root is missing from this build");
      }
      byte[] bytes = in.readAllBytes();
      if (!Digest.sha256(bytes).hex().equals(SHA256)) {
        throw new SigningException("the pinned public-good trusted root does not match its pinned digest");
      }
      Path file = Files.createTempFile("palisade-public-good-", "-trusted_root.json",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      file.toFile().deleteOnExit();
      Files.write(file, bytes);
      extracted = file;
      return file;
    } catch (IOException e) {
      throw new SigningException("cannot extract the pinned public-good trusted root: " + e.getMessage(), e);
    }
  }
}
