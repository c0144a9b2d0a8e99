package dev.palisade.signing.bundle;

/** A signature over an artifact's SHA-256 digest (blob signing, cosign sign-blob). */
public record MessageSignature(byte[] sha256, byte[] signature) {
  public MessageSignature {
    if (sha256 == null || sha256.length != 32) {
      throw new IllegalArgumentException("a message signature needs a 32-byte SHA-256 digest");
    }
    if (signature == null || signature.length == 0) {
      throw new IllegalArgumentException("a message signature needs signature bytes");
    }
    sha256 = sha256.clone();
    signature = signature.clone();
  }

  @Override
  public byte[] sha256() {
    return sha256.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }
}
