package dev.palisade.signing.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.oci.digest.Digest;
import dev.palisade.signing.bundle.BundleJson;
import dev.palisade.signing.dsse.DsseEnvelope;
import dev.palisade.signing.dsse.DsseSignature;
import dev.palisade.signing.intoto.PredicateTypes;
import dev.palisade.signing.intoto.Statement;
import dev.palisade.signing.intoto.StatementException;
import dev.palisade.signing.oci.LegacySignature;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Verifies cosign v2 key signatures: ECDSA over the simple-signing payload (whose {@code
 * critical.image.docker-manifest-digest} must be the image), or over the DSSE PAE of an attestation
 * (whose statement must name the image). cosign v2 signatures carry no key hint, so a signature
 * that verifies with no trusted key is "signature invalid" even when another key made it. Keyless
 * v2 signatures (certificate plus a Rekor SET, no inclusion proof) are refused: sigstore-java cannot
 * verify them, and we do not verify transparency logs ourselves.
 */
public final class LegacySignatureVerifier {

  private LegacySignatureVerifier() {}

  public static AcceptedBundle verify(LegacySignature legacy, Digest image, List<TrustedKey> keys) throws BundleRejection {
    if (legacy.certificate() != null) {
      throw new BundleRejection(Failure.SIGNER_NOT_TRUSTED,
          "is a cosign v2 keyless signature, which is not supported (re-sign with cosign v3 bundles)");
    }
    if (keys.isEmpty()) {
      throw new BundleRejection(Failure.SIGNER_NOT_TRUSTED, "is a cosign v2 key signature, and no public key is trusted here");
    }
    return legacy.kind() == LegacySignature.Kind.SIGNATURE ? simpleSigning(legacy, image, keys) : attestation(legacy, image, keys);
  }

  private static AcceptedBundle simpleSigning(LegacySignature legacy, Digest image, List<TrustedKey> keys) throws BundleRejection {
    if (legacy.signature() == null) {
      throw new BundleRejection(Failure.SIGNATURE_INVALID, "has no " + LegacySignature.SIGNATURE_ANNOTATION + " annotation");
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(legacy.signature());
    } catch (IllegalArgumentException e) {
      throw new BundleRejection(Failure.SIGNATURE_INVALID, "has a signature annotation that is not base64");
    }
    TrustedKey signer = firstVerifying(keys, legacy.payload(), signature);
    JsonNode payload;
    try {
      payload = BundleJson.readTree(legacy.payload());
    } catch (IOException e) {
      throw new BundleRejection(Failure.SIGNATURE_INVALID, "has a payload that is not JSON");
    }
    if (!"cosign container image signature".equals(payload.at("/critical/type").asText())) {
      throw new BundleRejection(Failure.SIGNATURE_INVALID, "is not a cosign container image signature");
    }
    String digest = payload.at("/critical/image/docker-manifest-digest").asText();
    if (!image.toString().equals(digest)) {
      throw new BundleRejection(Failure.SIGNATURE_INVALID, "signs " + digest + ", not " + image);
    }
    Statement statement = Statement.about(payload.at("/critical/identity/docker-reference").asText(""), image, PredicateTypes.COSIGN_SIGN, null);
    return new AcceptedBundle(legacy.manifest(), "key " + signer.name() + " (cosign v2 signature)", statement, null);
  }

  private static AcceptedBundle attestation(LegacySignature legacy, Digest image, List<TrustedKey> keys) throws BundleRejection {
    DsseEnvelope envelope;
    try {
      JsonNode node = BundleJson.readTree(legacy.payload());
      List<DsseSignature> signatures = new ArrayList<>();
      for (JsonNode signature : node.path("signatures")) {
        signatures.add(new DsseSignature(signature.path("keyid").asText(""), Base64.getDecoder().decode(signature.path("sig").asText())));
      }
      envelope = new DsseEnvelope(node.path("payloadType").asText(), Base64.getDecoder().decode(node.path("payload").asText()), signatures);
    } catch (IOException | IllegalArgumentException e) {
      throw new BundleRejection(Failure.SIGNATURE_INVALID, "is not a DSSE envelope");
    }
    TrustedKey signer = null;
    for (DsseSignature signature : envelope.signatures()) {
      try {
        signer = firstVerifying(keys, envelope.pae(), signature.sig());
        break;
      } catch (BundleRejection e) {
        // try the next signature
      }
    }
    if (signer == null) {
      throw new BundleRejection(Failure.SIGNATURE_INVALID, "does not verify with any trusted key");
    }
    Statement statement;
    try {
      statement = Statement.parse(envelope.payload(), legacy.origin());
    } catch (StatementException e) {
      throw new BundleRejection(Failure.SIGNATURE_INVALID, e.getMessage());
    }
    if (!statement.coversDigest(image)) {
      throw new BundleRejection(Failure.ATTESTATION_FAILED, "(" + statement.predicateType() + ") is about another digest, not " + image);
    }
    return new AcceptedBundle(legacy.manifest(), "key " + signer.name() + " (cosign v2 attestation)", statement, null);
  }

  private static TrustedKey firstVerifying(List<TrustedKey> keys, byte[] data, byte[] signature) throws BundleRejection {
    for (TrustedKey key : keys) {
      try {
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(key.key());
        verifier.update(data);
        if (verifier.verify(signature)) {
          return key;
        }
      } catch (GeneralSecurityException e) {
        // not valid under this key
      }
    }
    throw new BundleRejection(Failure.SIGNATURE_INVALID, "does not verify with any trusted key (cosign v2 signatures name no key)");
  }
}
