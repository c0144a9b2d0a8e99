package dev.palisade.signing.oci;

import dev.palisade.oci.digest.Digest;

/**
 * A cosign v2 signature or attestation, found under the {@code sha256-<hex>.sig} / {@code .att}
 * tags, unverified.
 *
 * @param kind {@link Kind#SIGNATURE}: {@code payload} is a simple-signing payload and {@code
 *     signature} the base64 ECDSA signature over it (annotation {@code
 *     dev.cosignproject.cosign/signature}); {@link Kind#ATTESTATION}: {@code payload} is a DSSE
 *     envelope (JSON) and {@code signature} is null
 * @param certificate the {@code dev.sigstore.cosign/certificate} annotation (keyless), or null
 */
public record LegacySignature(Kind kind, Digest manifest, byte[] payload, String signature, String certificate, String origin) {

  public enum Kind { SIGNATURE, ATTESTATION }

  public static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
  public static final String DSSE_ENVELOPE = "application/vnd.dsse.envelope.v1+json";
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  public static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";

  public LegacySignature {
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
