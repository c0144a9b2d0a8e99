package dev.palisade.signing.dsse;

/** One signature in a DSSE envelope; {@code keyid} is an unauthenticated hint and may be empty. */
public record DsseSignature(String keyid, byte[] sig) {
  public DsseSignature {
    keyid = keyid == null ? "" : keyid;
    if (sig == null || sig.length == 0) {
      throw new IllegalArgumentException("a DSSE signature needs signature bytes");
    }
    sig = sig.clone();
  }

  @Override
  public byte[] sig() {
    return sig.clone();
  }
}
