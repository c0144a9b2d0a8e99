package dev.palisade.signing.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.oci.digest.Digest;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ManifestDocument;
import dev.palisade.oci.manifest.MediaTypes;
import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.oci.registry.RegistryException;
import dev.palisade.oci.registry.RegistryNotFoundException;
import dev.palisade.signing.bundle.BundleJson;
import dev.palisade.signing.bundle.SigstoreBundle;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Bundles as OCI referrers in one registry repository. Pushing: bundle blob, empty config, the
 * referrer manifest by digest; when the registry did not acknowledge the subject (no {@code
 * OCI-Subject} header: no referrers API), the {@code sha256-<hex>} fallback index is read, extended
 * and re-pushed. Reading: {@link RegistryClient#referrers}, which falls back to that tag itself.
 *
 * <p>The fallback update is read-modify-write without a lock (the distribution API has none): two
 * signers racing on one image can lose an entry; the referrer manifest itself is never lost, and
 * re-attaching repairs the index.
 */
public final class RegistryReferrerStore implements ReferrerStore, LegacySignatureSource {

  private final RegistryClient client;
  private final String repository;
  private final String registryName;
  private final Consumer<String> notes;

  /**
   * @param registryName the registry as written in references, for messages only
   * @param notes receives one line per fallback decision (for a CLI's verbose output)
   */
  public RegistryReferrerStore(RegistryClient client, String registryName, String repository, Consumer<String> notes) {
    this.client = client;
    this.registryName = registryName;
    this.repository = repository;
    this.notes = notes;
  }

  @Override
  public String describe() {
    return registryName + "/" + repository;
  }

  @Override
  public Digest attach(Descriptor subject, SigstoreBundle bundle, Instant created) throws ReferrerStoreException {
    byte[] bundleJson = bundle.toJson();
    BundleReferrers.ReferrerManifest manifest = BundleReferrers.manifest(
        subject, bundleJson, bundle.contentKind(), BundleReferrers.predicateTypeOf(bundle), created);
    try {
      client.pushBlob(repository, BundleReferrers.EMPTY_CONFIG_DIGEST, BundleReferrers.EMPTY_CONFIG);
      client.pushBlob(repository, Digest.sha256(bundleJson), bundleJson);
      RegistryClient.PushedManifest pushed =
          client.putManifest(repository, manifest.digest().toString(), manifest.bytes(), MediaTypes.OCI_MANIFEST);
      if (!pushed.subjectAccepted()) {
        notes.accept(registryName + " did not acknowledge the subject; updating tag " + subject.digest().toTagForm());
        updateFallbackIndex(subject.digest(), manifest);
      }
      return manifest.digest();
    } catch (RegistryException e) {
      throw new ReferrerStoreException("cannot attach a bundle to " + describe() + "@" + subject.digest() + ": " + e.getMessage(), e);
    }
  }

  private void updateFallbackIndex(Digest subject, BundleReferrers.ReferrerManifest manifest) throws RegistryException,
      ReferrerStoreException {
    String tag = subject.toTagForm();
    ObjectNode index;
    try {
      ManifestDocument existing = client.getManifest(repository, tag);
      JsonNode tree = BundleJson.readTree(existing.bytes());
      if (!tree.isObject() || !tree.path("manifests").isArray()) {
        throw new ReferrerStoreException("tag " + tag + " in " + describe() + " is not a referrers index; refusing to overwrite it");
      }
      index = (ObjectNode) tree;
    } catch (RegistryNotFoundException e) {
      index = BundleJson.MAPPER.createObjectNode();
      index.put("schemaVersion", 2);
      index.put("mediaType", MediaTypes.OCI_INDEX);
      index.putArray("manifests");
    } catch (IOException e) {
      throw new ReferrerStoreException("tag " + tag + " in " + describe() + " is not valid JSON; refusing to overwrite it");
    }
    ArrayNode manifests = (ArrayNode) index.get("manifests");
    for (JsonNode entry : manifests) {
      if (manifest.digest().toString().equals(entry.path("digest").asText())) {
        return;
      }
    }
    manifests.add(manifest.indexEntry());
    try {
      client.putManifest(repository, tag, BundleJson.MAPPER.writeValueAsBytes(index), MediaTypes.OCI_INDEX);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serialising the fallback index failed", e);
    }
  }

  @Override
  public List<FoundBundle> bundles(Digest subject) throws ReferrerStoreException {
    List<FoundBundle> found = new ArrayList<>();
    try {
      for (Descriptor referrer : client.referrers(repository, subject, BundleReferrers.ARTIFACT_TYPE)) {
        ManifestDocument document = client.getManifest(repository, referrer.digest().toString());
        StringBuilder why = new StringBuilder();
        Descriptor layer = BundleReferrers.bundleLayer(document, subject, why);
        if (layer == null) {
          notes.accept("ignored: " + why);
          continue;
        }
        byte[] json = client.getBlob(repository, layer, BundleJson.MAX_BUNDLE_BYTES);
        found.add(new FoundBundle(document.digest(), json, "referrer " + document.digest().shortHex()));
      }
    } catch (RegistryException e) {
      throw new ReferrerStoreException("cannot list the bundles of " + describe() + "@" + subject + ": " + e.getMessage(), e);
    }
    return found;
  }

  /**
   * cosign v2's signatures: the manifests tagged {@code sha256-<hex>.sig} (one simple-signing
   * layer per signature, the signature in an annotation) and {@code .att} (one DSSE envelope layer
   * per attestation). Read so images signed before cosign v3 still verify.
   */
  @Override
  public List<LegacySignature> legacySignatures(Digest subject) throws ReferrerStoreException {
    List<LegacySignature> found = new ArrayList<>();
    for (LegacySignature.Kind kind : LegacySignature.Kind.values()) {
      String tag = subject.toTagForm() + (kind == LegacySignature.Kind.SIGNATURE ? ".sig" : ".att");
      ManifestDocument document;
      try {
        document = client.getManifest(repository, tag);
      } catch (RegistryNotFoundException e) {
        continue;
      } catch (RegistryException e) {
        throw new ReferrerStoreException("cannot read " + describe() + ":" + tag + ": " + e.getMessage(), e);
      }
      if (!(document.manifest() instanceof dev.palisade.oci.manifest.ImageManifest manifest)) {
        notes.accept("ignored: " + tag + " is not an image manifest");
        continue;
      }
      String expectedType = kind == LegacySignature.Kind.SIGNATURE ? LegacySignature.SIMPLE_SIGNING : LegacySignature.DSSE_ENVELOPE;
      for (Descriptor layer : manifest.layers()) {
        if (!expectedType.equals(layer.mediaType())) {
          continue;
        }
        try {
          byte[] payload = client.getBlob(repository, layer, BundleJson.MAX_BUNDLE_BYTES);
          found.add(new LegacySignature(kind, document.digest(), payload,
              layer.annotations().get(LegacySignature.SIGNATURE_ANNOTATION),
              layer.annotations().get(LegacySignature.CERTIFICATE_ANNOTATION), tag + " layer " + layer.digest().shortHex()));
        } catch (RegistryException e) {
          throw new ReferrerStoreException("cannot read " + describe() + ":" + tag + ": " + e.getMessage(), e);
        }
      }
    }
    return found;
  }
}
