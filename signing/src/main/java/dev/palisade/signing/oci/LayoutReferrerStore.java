package dev.palisade.signing.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.oci.digest.Digest;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ManifestDocument;
import dev.palisade.oci.manifest.ManifestFormatException;
import dev.palisade.oci.manifest.MediaTypes;
import dev.palisade.signing.bundle.BundleJson;
import dev.palisade.signing.bundle.SigstoreBundle;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Bundles in an OCI image layout, for the offline path. The referrer manifest, the bundle and the
 * empty config are blobs; the referrer manifest is listed in {@code index.json} without a {@code
 * org.opencontainers.image.ref.name} (so it is not mistaken for a tagged image), with its {@code
 * artifactType} and annotations, as {@code oras} lays referrers out in a layout. Discovery reads
 * every untagged index entry of the bundle artifact type and keeps those whose {@code subject} is
 * the image.
 */
public final class LayoutReferrerStore implements ReferrerStore {

  private final Path directory;

  public LayoutReferrerStore(Path directory) {
    this.directory = directory;
  }

  @Override
  public String describe() {
    return "oci:" + directory;
  }

  @Override
  public Digest attach(Descriptor subject, SigstoreBundle bundle, Instant created) throws ReferrerStoreException {
    return attachJson(subject, bundle.toJson(), bundle.contentKind(), BundleReferrers.predicateTypeOf(bundle), created);
  }

  /**
   * Attaches bundle bytes as they are (pull copies bundles from a registry: re-serialising them
   * would change their digests for nothing).
   */
  public synchronized Digest attachJson(Descriptor subject, byte[] bundleJson, String contentKind, String predicateType,
      Instant created) throws ReferrerStoreException {
    BundleReferrers.ReferrerManifest manifest = BundleReferrers.manifest(subject, bundleJson, contentKind, predicateType, created);
    ObjectNode index = readIndex();
    if (!Files.isRegularFile(blobPath(subject.digest()))) {
      throw new ReferrerStoreException(describe() + " does not hold the image " + subject.digest() + " the bundle is about");
    }
    writeBlob(BundleReferrers.EMPTY_CONFIG_DIGEST, BundleReferrers.EMPTY_CONFIG);
    writeBlob(Digest.sha256(bundleJson), bundleJson);
    writeBlob(manifest.digest(), manifest.bytes());
    ArrayNode manifests = (ArrayNode) index.get("manifests");
    for (JsonNode entry : manifests) {
      if (manifest.digest().toString().equals(entry.path("digest").asText())) {
        return manifest.digest();
      }
    }
    manifests.add(manifest.indexEntry());
    writeIndex(index);
    return manifest.digest();
  }

  @Override
  public List<FoundBundle> bundles(Digest subject) throws ReferrerStoreException {
    List<FoundBundle> found = new ArrayList<>();
    for (JsonNode entry : readIndex().get("manifests")) {
      if (!BundleReferrers.ARTIFACT_TYPE.equals(entry.path("artifactType").asText())) {
        continue;
      }
      Digest digest = digestOf(entry);
      byte[] bytes = readBlob(digest, BundleJson.MAX_BUNDLE_BYTES);
      ManifestDocument document;
      try {
        document = ManifestDocument.parse(bytes, MediaTypes.OCI_MANIFEST, describe() + " referrer " + digest);
      } catch (ManifestFormatException e) {
        throw new ReferrerStoreException(e.getMessage(), e);
      }
      Descriptor layer = BundleReferrers.bundleLayer(document, subject, new StringBuilder());
      if (layer == null) {
        continue; // a bundle about another image in the same layout
      }
      byte[] json = readBlob(layer.digest(), BundleJson.MAX_BUNDLE_BYTES);
      if (json.length != layer.size()) {
        throw new ReferrerStoreException(describe() + ": bundle blob " + layer.digest() + " has the wrong size");
      }
      found.add(new FoundBundle(digest, json, "layout referrer " + digest.shortHex()));
    }
    return found;
  }

  private Digest digestOf(JsonNode entry) throws ReferrerStoreException {
    try {
      return Digest.parse(entry.path("digest").asText());
    } catch (IllegalArgumentException e) {
      throw new ReferrerStoreException(describe() + ": index.json entry has an invalid digest: " + e.getMessage());
    }
  }

  private ObjectNode readIndex() throws ReferrerStoreException {
    Path file = directory.resolve("index.json");
    if (!Files.isRegularFile(directory.resolve("oci-layout")) || !Files.isRegularFile(file)) {
      throw new ReferrerStoreException(describe() + " is not an OCI layout (oci-layout or index.json missing)");
    }
    try {
      JsonNode tree = BundleJson.readTree(Files.readAllBytes(file));
      if (!tree.isObject() || !tree.path("manifests").isArray()) {
        throw new ReferrerStoreException(describe() + ": index.json has no manifests array");
      }
      return (ObjectNode) tree;
    } catch (IOException e) {
      throw new ReferrerStoreException(describe() + ": cannot read index.json: " + e.getMessage(), e);
    }
  }

  /** Replaces index.json atomically: a crash leaves the old index or the new one, never half of one. */
  private void writeIndex(ObjectNode index) throws ReferrerStoreException {
    Path target = directory.resolve("index.json");
    Path temporary = directory.resolve(".index.json.tmp");
    try {
      Files.write(temporary, BundleJson.MAPPER.writeValueAsBytes(index));
      try {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serialising index.json failed", e);
    } catch (IOException e) {
      throw new ReferrerStoreException(describe() + ": cannot write index.json: " + e.getMessage(), e);
    }
  }

  private Path blobPath(Digest digest) {
    return directory.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  private void writeBlob(Digest digest, byte[] content) throws ReferrerStoreException {
    Path path = blobPath(digest);
    try {
      if (Files.isRegularFile(path) && Digest.sha256(Files.readAllBytes(path)).equals(digest)) {
        return;
      }
      Files.createDirectories(path.getParent());
      Path temporary = path.resolveSibling("." + digest.hex() + ".tmp");
      Files.write(temporary, content);
      Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ReferrerStoreException(describe() + ": cannot write blob " + digest + ": " + e.getMessage(), e);
    }
  }

  private byte[] readBlob(Digest digest, int limit) throws ReferrerStoreException {
    Path path = blobPath(digest);
    try {
      if (!Files.isRegularFile(path)) {
        throw new ReferrerStoreException(describe() + " lists blob " + digest + ", which is missing");
      }
      if (Files.size(path) > limit) {
        throw new ReferrerStoreException(describe() + ": blob " + digest + " is larger than " + limit + " bytes");
      }
      byte[] bytes = Files.readAllBytes(path);
      if (!Digest.sha256(bytes).equals(digest)) {
        throw new ReferrerStoreException(describe() + ": blob " + digest + " does not match its digest");
      }
      return bytes;
    } catch (IOException e) {
      throw new ReferrerStoreException(describe() + ": cannot read blob " + digest + ": " + e.getMessage(), e);
    }
  }
}
