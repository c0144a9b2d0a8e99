package dev.palisade.signing.verify;

import dev.palisade.signing.bundle.SigstoreBundle;
import dev.palisade.signing.dsse.DsseEnvelope;
import dev.palisade.signing.dsse.DsseSignature;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies bundles signed with a plain public key (sigstore-java's KeylessVerifier refuses them).
 * What is checked, in order: the bundle names a key; that key is one we trust (by hint, and if the
 * hint is absent, by trying each trusted key); the ECDSA signature over the DSSE PAE (or over the
 * artifact digest for message signatures) verifies with that key. Transparency-log entries are
 * checked next, against the signer found here, by {@link dev.palisade.signing.tlog.LogEntryVerifier}.
 */
public final class KeyBundleVerifier {

  private KeyBundleVerifier() {}

  /** Returns the trusted key whose signature over the envelope verifies. */
  public static TrustedKey verifyDsse(SigstoreBundle bundle, List<TrustedKey> keys) throws BundleRejection {
    DsseEnvelope envelope = bundle.dsse();
    if (envelope == null) {
      throw new BundleRejection(Failure.SIGNATURE_INVALID, "holds a message signature, not a DSSE envelope");
    }
    byte[] pae = envelope.pae();
    for (TrustedKey key : candidates(bundle, keys)) {
      for (DsseSignature signature : envelope.signatures()) {
        if (verify("SHA256withECDSA", key, pae, signature.sig())) {
          return key;
        }
      }
    }
    throw new BundleRejection(Failure.SIGNATURE_INVALID, "the DSSE signature does not verify with " + describe(candidates(bundle, keys)));
  }

  /** Verifies a message signature against the artifact's SHA-256 (which must equal the bundle's digest). */
  public static TrustedKey verifyMessage(SigstoreBundle bundle, byte[] artifactSha256, List<TrustedKey> keys) throws BundleRejection {
    if (bundle.messageSignature() == null) {
      throw new BundleRejection(Failure.SIGNATURE_INVALID, "holds a DSSE envelope, not a message signature");
    }
    if (!java.security.MessageDigest.isEqual(bundle.messageSignature().sha256(), artifactSha256)) {
      throw new BundleRejection(Failure.SIGNATURE_INVALID, "is for another artifact (its message digest differs)");
    }
    List<TrustedKey> candidates = candidates(bundle, keys);
    for (TrustedKey key : candidates) {
      if (verify("NONEwithECDSA", key, artifactSha256, bundle.messageSignature().signature())) {
        return key;
      }
    }
    throw new BundleRejection(Failure.SIGNATURE_INVALID, "the signature does not verify with " + describe(candidates));
  }

  /**
   * The keys to try: the one the hint names when there is a hint (a hint naming no trusted key means
   * another key signed: the signer is not trusted), else all of them.
   */
  private static List<TrustedKey> candidates(SigstoreBundle bundle, List<TrustedKey> keys) throws BundleRejection {
    if (!bundle.material().isPublicKey()) {
      throw new BundleRejection(Failure.SIGNER_NOT_TRUSTED, "is signed with a certificate, and no certificate identity is trusted here");
    }
    if (keys.isEmpty()) {
      throw new BundleRejection(Failure.SIGNER_NOT_TRUSTED, "is signed with a key, and no public key is trusted here");
    }
    String hint = bundle.material().publicKeyHint();
    if (hint == null || hint.isEmpty()) {
      return keys;
    }
    List<TrustedKey> named = new ArrayList<>();
    for (TrustedKey key : keys) {
      if (key.hint().equals(hint)) {
        named.add(key);
      }
    }
    if (named.isEmpty()) {
      throw new BundleRejection(Failure.SIGNER_NOT_TRUSTED, "is signed by key " + hint + ", which is not a trusted key");
    }
    return named;
  }

  private static boolean verify(String algorithm, TrustedKey key, byte[] data, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(key.key());
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // a signature that is not even valid DER is simply not valid
    }
  }

  private static String describe(List<TrustedKey> keys) {
    List<String> names = new ArrayList<>();
    keys.forEach(key -> names.add(key.name()));
    return String.join(", ", names);
  }
}
