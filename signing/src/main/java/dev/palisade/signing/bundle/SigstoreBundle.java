package dev.palisade.signing.bundle;

import dev.palisade.signing.dsse.DsseEnvelope;

/**
 * A Sigstore bundle: verification material plus exactly one of a DSSE envelope or a message
 * signature. Read and written by {@link BundleJson}.
 */
public record SigstoreBundle(String mediaType, VerificationMaterial material, DsseEnvelope dsse, MessageSignature messageSignature) {

  public static final String MEDIA_TYPE_V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

  public SigstoreBundle {
    if (mediaType == null || !mediaType.startsWith("application/vnd.dev.sigstore.bundle")) {
      throw new IllegalArgumentException("not a Sigstore bundle media type: " + mediaType);
    }
    if (material == null) {
      throw new IllegalArgumentException("a bundle needs verification material");
    }
    if ((dsse == null) == (messageSignature == null)) {
      throw new IllegalArgumentException("a bundle holds exactly one of a DSSE envelope or a message signature");
    }
  }

  public static SigstoreBundle ofDsse(VerificationMaterial material, DsseEnvelope envelope) {
    return new SigstoreBundle(MEDIA_TYPE_V03, material, envelope, null);
  }

  public static SigstoreBundle ofMessageSignature(VerificationMaterial material, MessageSignature signature) {
    return new SigstoreBundle(MEDIA_TYPE_V03, material, null, signature);
  }

  /** What cosign's referrer annotation {@code dev.sigstore.bundle.content} calls this content. */
  public String contentKind() {
    return dsse != null ? "dsse-envelope" : "message-signature";
  }

  public byte[] toJson() {
    return BundleJson.write(this);
  }
}
