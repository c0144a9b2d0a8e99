package dev.palisade.oci.manifest;

import dev.palisade.oci.digest.Digest;

/**
 * A manifest as its source served it: the exact bytes (signatures and digests are over bytes,
 * never over a re-serialisation), their digest, and the parsed form.
 */
public record ManifestDocument(byte[] bytes, Digest digest, String mediaType, Manifest manifest) {
  public ManifestDocument {
    if (bytes == null || digest == null || mediaType == null || manifest == null) {
      throw new IllegalArgumentException("all parts of a manifest response are required");
    }
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Parses exact bytes, computing their digest. */
  public static ManifestDocument parse(byte[] bytes, String declaredMediaType, String what)
      throws ManifestFormatException {
    Manifest manifest = ManifestParser.parse(bytes, declaredMediaType, what);
    return new ManifestDocument(bytes, Digest.sha256(bytes), manifest.mediaType(), manifest);
  }

  /** A descriptor pointing at this document. */
  public Descriptor descriptor() {
    return Descriptor.of(mediaType, digest, bytes.length);
  }

  public long size() {
    return bytes.length;
  }
}
