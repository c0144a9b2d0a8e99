package dev.palisade.signing.keys;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;

/**
 * The public-key hint a bundle carries instead of a certificate: base64 of SHA-256 over the key's
 * DER SubjectPublicKeyInfo, as cosign writes it. A hint is a label, not proof: the verifier only
 * uses it to tell "signed by a key we do not trust" from "signature broken".
 */
public final class KeyHint {
  private KeyHint() {}

  public static String of(PublicKey key) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
