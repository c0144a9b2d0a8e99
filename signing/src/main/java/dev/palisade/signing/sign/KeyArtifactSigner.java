package dev.palisade.signing.sign;

import dev.palisade.signing.SigningException;
import dev.palisade.signing.bundle.MessageSignature;
import dev.palisade.signing.bundle.SigstoreBundle;
import dev.palisade.signing.bundle.VerificationMaterial;
import dev.palisade.signing.dsse.DsseEnvelope;
import dev.palisade.signing.dsse.DsseSignature;
import dev.palisade.signing.keys.KeyHint;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.List;

/**
 * Signs with an ECDSA P-256 private key. Bundles carry the public-key hint and no transparency-log
 * entry: this is the offline, air-gapped path. The public key is checked against the private key by
 * a test signature on construction, so a mismatched pair fails here, not at the user's verify.
 */
public final class KeyArtifactSigner implements ArtifactSigner {

  private final PrivateKey privateKey;
  private final String hint;

  public KeyArtifactSigner(PrivateKey privateKey, PublicKey publicKey) throws SigningException {
    this.privateKey = privateKey;
    this.hint = KeyHint.of(publicKey);
    byte[] probe = "palisade key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try {
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(publicKey);
      verifier.update(probe);
      if (!verifier.verify(sign("SHA256withECDSA", probe))) {
        throw new SigningException("the public key does not belong to the private key");
      }
    } catch (GeneralSecurityException e) {
      throw new SigningException("the key pair cannot sign: " + e.getMessage(), e);
    }
  }

  public String hint() {
    return hint;
  }

  @Override
  public SigstoreBundle signDsse(String payloadType, byte[] payload) throws SigningException {
    byte[] signature = sign("SHA256withECDSA", DsseEnvelope.pae(payloadType, payload));
    DsseEnvelope envelope = new DsseEnvelope(payloadType, payload, List.of(new DsseSignature("", signature)));
    return SigstoreBundle.ofDsse(VerificationMaterial.publicKey(hint), envelope);
  }

  @Override
  public SigstoreBundle signDigest(byte[] sha256) throws SigningException {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("a SHA-256 digest is 32 bytes");
    }
    // NONEwithECDSA over the digest equals SHA256withECDSA over the content, without reading it twice.
    byte[] signature = sign("NONEwithECDSA", sha256);
    return SigstoreBundle.ofMessageSignature(VerificationMaterial.publicKey(hint), new MessageSignature(sha256, signature));
  }

  private byte[] sign(String algorithm, byte[] data) throws SigningException {
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new SigningException("signing failed: " + e.getMessage(), e);
    }
  }
}
