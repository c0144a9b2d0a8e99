package dev.palisade.signing.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.oci.digest.Digest;
import dev.palisade.signing.SigningException;
import dev.palisade.signing.bundle.SigstoreBundle;
import dev.palisade.signing.dsse.DsseEnvelope;
import dev.palisade.signing.intoto.PredicateTypes;
import dev.palisade.signing.intoto.Statement;

/**
 * Signs in-toto statements about an image digest: the plain signature (predicate {@code
 * https://sigstore.dev/cosign/sign/v1}, as cosign v3 does), an SBOM, a provenance.
 */
public final class Attester {

  private final ArtifactSigner signer;

  public Attester(ArtifactSigner signer) {
    this.signer = signer;
  }

  /**
   * @param subjectName the image's repository ({@code registry/repo}); informational, verification is by digest
   */
  public SigstoreBundle attest(String subjectName, Digest digest, String predicateType, JsonNode predicate)
      throws SigningException {
    Statement statement = Statement.about(subjectName, digest, predicateType, predicate);
    return signer.signDsse(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, statement.toJson());
  }

  /** The image signature cosign v3 makes: a statement with an empty cosign/sign predicate. */
  public SigstoreBundle signImage(String subjectName, Digest digest) throws SigningException {
    return attest(subjectName, digest, PredicateTypes.COSIGN_SIGN, null);
  }
}
