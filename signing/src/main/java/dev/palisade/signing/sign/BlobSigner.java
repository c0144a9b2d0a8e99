package dev.palisade.signing.sign;

import dev.palisade.oci.digest.Digest;
import dev.palisade.signing.SigningException;
import dev.palisade.signing.bundle.SigstoreBundle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/** Signs release files (SBOM, jars) as blobs and writes {@code FILE.sigstore.json} next to them. */
public final class BlobSigner {

  public static final String BUNDLE_SUFFIX = ".sigstore.json";

  private final ArtifactSigner signer;

  public BlobSigner(ArtifactSigner signer) {
    this.signer = signer;
  }

  public SigstoreBundle sign(Path file) throws SigningException {
    return signer.signDigest(sha256(file));
  }

  /** Signs and writes the bundle beside the file; returns the bundle's path. */
  public Path signToFile(Path file) throws SigningException {
    SigstoreBundle bundle = sign(file);
    Path out = file.resolveSibling(file.getFileName() + BUNDLE_SUFFIX);
    try {
      Files.write(out, bundle.toJson(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new SigningException("cannot write " + out + ": " + e.getMessage(), e);
    }
    return out;
  }

  public static byte[] sha256(Path file) throws SigningException {
    MessageDigest digest = Digest.newSha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new SigningException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return digest.digest();
  }
}
