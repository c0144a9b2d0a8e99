package dev.palisade.signing.sign;

import dev.palisade.signing.SigningException;
import dev.palisade.signing.bundle.SigstoreBundle;

/**
 * Makes bundles. Two implementations: {@link KeyArtifactSigner} (an ECDSA key, offline) and the
 * keyless signer (a Fulcio certificate plus a Rekor entry, through sigstore-java).
 */
public interface ArtifactSigner {

  /** Signs the envelope's PAE and returns the complete bundle. */
  SigstoreBundle signDsse(String payloadType, byte[] payload) throws SigningException;

  /** Signs an artifact given by its SHA-256 digest (the signature is over the digest, as ECDSA-SHA256 would be over the content). */
  SigstoreBundle signDigest(byte[] sha256) throws SigningException;
}
