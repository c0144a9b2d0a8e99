package dev.palisade.release.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.oci.digest.Digest;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseEvent;
import dev.palisade.release.ReleaseException;
import dev.palisade.signing.SigningException;
import dev.palisade.signing.intoto.PredicateTypes;
import dev.palisade.signing.oci.ReferrerStore;
import dev.palisade.signing.sign.ArtifactSigner;
import dev.palisade.signing.sign.Attester;
import dev.palisade.signing.sign.BlobSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Signs a release: the image signature (cosign v3: in-toto statement, predicate cosign/sign/v1), an
 * SBOM attestation and a provenance attestation about the image digest, attached as referrers to
 * the image (when a store is given), and {@code FILE.sigstore.json} message-signature bundles for
 * the SBOM and provenance files.
 */
public final class SignStage {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Referrer manifest digests (null when nothing was attached) and the blob bundle files. */
  public record Result(Digest signature, Digest sbomAttestation, Digest provenanceAttestation, Path sbomBundle,
      Path provenanceBundle) {}

  private final ArtifactSigner signer;
  private final Consumer<ReleaseEvent> events;

  public SignStage(ArtifactSigner signer, Consumer<ReleaseEvent> events) {
    this.signer = signer;
    this.events = events;
  }

  /**
   * @param store where the image's bundles go; null: sign the files only (dry run against a registry)
   * @param image the image manifest as the store knows it
   * @param subjectName registry/repository (informational in the statement)
   * @param provenanceStatement the in-toto statement whose predicate is attested
   */
  public Result sign(ReferrerStore store, Descriptor image, String subjectName, Path sbomFile, Path provenanceFile,
      String provenanceStatement, Instant created) throws ReleaseException {
    try {
      Digest signature = null;
      Digest sbomAttestation = null;
      Digest provenanceAttestation = null;
      if (store != null) {
        Attester attester = new Attester(signer);
        Digest digest = image.digest();
        JsonNode sbom = JSON.readTree(Files.readString(sbomFile));
        JsonNode provenance = JSON.readTree(provenanceStatement).path("predicate");
        if (!provenance.isObject()) {
          throw new ReleaseException(Failure.SIGNING, "the provenance statement has no predicate");
        }
        events.accept(new ReleaseEvent("sign", "signing " + digest + " and attaching to " + store.describe()));
        signature = store.attach(image, attester.signImage(subjectName, digest), created);
        sbomAttestation = store.attach(image, attester.attest(subjectName, digest, PredicateTypes.CYCLONEDX_BOM, sbom),
            created);
        provenanceAttestation = store.attach(image,
            attester.attest(subjectName, digest, PredicateTypes.SLSA_PROVENANCE_V1, provenance), created);
      }
      BlobSigner blobs = new BlobSigner(signer);
      Path sbomBundle = blobs.signToFile(sbomFile);
      Path provenanceBundle = blobs.signToFile(provenanceFile);
      return new Result(signature, sbomAttestation, provenanceAttestation, sbomBundle, provenanceBundle);
    } catch (SigningException e) {
      throw new ReleaseException(Failure.SIGNING, "signing: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ReleaseException(Failure.IO, "signing: " + e.getMessage(), e);
    }
  }

  /** The image manifest's descriptor in an OCI layout (media type from the manifest, size of the blob). */
  public static Descriptor layoutDescriptor(Path layout, Digest digest) throws ReleaseException {
    Path blob = layout.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    try {
      byte[] bytes = Files.readAllBytes(blob);
      String mediaType = JSON.readTree(bytes).path("mediaType").asText("application/vnd.oci.image.manifest.v1+json");
      return Descriptor.of(mediaType, digest, bytes.length);
    } catch (IOException e) {
      throw new ReleaseException(Failure.IO, "cannot read the image manifest " + blob + ": " + e.getMessage(), e);
    }
  }
}
