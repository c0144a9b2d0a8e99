package dev.palisade.signing.verify;

/**
 * Why an image or bundle was refused, in the order a user fixes them. Each kind has its own exit
 * code in the CLIs, so scripts can tell "nobody signed this" from "someone tampered with it".
 */
public enum Failure {
  /** Nothing signed this digest (no bundle at all, or none that is an image signature). */
  NOT_SIGNED,
  /** A bundle is there but its signature does not verify, or it is malformed, or it is for another digest. */
  SIGNATURE_INVALID,
  /** The signature verifies, but the signer is not one the policy accepts (wrong key, identity, issuer, CA; no tlog entry where required). */
  SIGNER_NOT_TRUSTED,
  /** The image is signed, but a required attestation is missing, for another digest, or says the wrong thing. */
  ATTESTATION_FAILED
}
