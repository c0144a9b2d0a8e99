package dev.palisade.signing.intoto;

/** The predicate types Palisade signs and checks. */
public final class PredicateTypes {
  /** What cosign v3 signs for a plain image signature: the statement says "this digest is signed". */
  public static final String COSIGN_SIGN = "https://sigstore.dev/cosign/sign/v1";
  public static final String CYCLONEDX_BOM = "https://cyclonedx.org/bom";
  public static final String SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";

  private PredicateTypes() {}
}
