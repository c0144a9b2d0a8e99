package dev.palisade.scanner.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.cli.RegistryClients;
import dev.palisade.cli.UsageException;
import dev.palisade.oci.OciException;
import dev.palisade.oci.digest.Digest;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.Json;
import dev.palisade.oci.manifest.ManifestDocument;
import dev.palisade.oci.reference.ImageReference;
import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.oci.source.OciLayoutSource;
import dev.palisade.signing.oci.BundleReferrers;
import dev.palisade.signing.oci.LayoutReferrerStore;
import dev.palisade.signing.oci.RegistryReferrerStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Turns what the user typed ({@code host/repo:tag}, {@code repo@sha256:...}, {@code oci:DIR[:TAG]}) into a {@link ResolvedImage}. */
public final class ImageResolver {

  private ImageResolver() {}

  /**
   * @param layoutRepository the {@code registry/repository} a layout stands for in the policy (null: {@code oci:DIR})
   */
  public static ResolvedImage resolve(String image, String layoutRepository, RegistryClients registries, Consumer<String> notes)
      throws OciException, UsageException {
    if (image.startsWith("oci:")) {
      return resolveLayout(image, layoutRepository);
    }
    if (image.matches("^(oci-archive|docker-archive|docker-daemon|dir):.*")) {
      throw new UsageException("verify and pull read registry images (host/repo:tag, repo@sha256:...) and OCI layouts (oci:DIR[:TAG]), not '" + image + "'");
    }
    ImageReference reference = ImageReference.parse(image);
    RegistryClient client = registries.forRegistry(reference.registry(), event -> { });
    boolean handedOver = false;
    try {
      Descriptor descriptor;
      if (reference.digest() != null) {
        ManifestDocument document = client.getManifest(reference.repository(), reference.digest().toString());
        descriptor = document.descriptor();
      } else {
        // One GET, and the digest of exactly the bytes we got: a HEAD followed by a GET could see two different images.
        ManifestDocument document = client.getManifest(reference.repository(), reference.tag());
        descriptor = document.descriptor();
        notes.accept(reference + " resolved to " + descriptor.digest());
      }
      ResolvedImage resolved = new ResolvedImage(image, reference.withDigest(descriptor.digest()), null, reference.repositoryPath(),
          descriptor, new RegistryReferrerStore(client, reference.registry(), reference.repository(), notes), client);
      handedOver = true;
      return resolved;
    } finally {
      if (!handedOver) {
        try {
          client.close();
        } catch (IOException ignored) {
          // closing after a failure: the failure is what matters
        }
      }
    }
  }

  private static ResolvedImage resolveLayout(String image, String layoutRepository) throws OciException, UsageException {
    String rest = image.substring(4);
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    Path dir = Path.of(rest);
    Descriptor descriptor = selectImage(dir, tag, image);
    String repository = layoutRepository != null ? layoutRepository : "oci:" + dir.toAbsolutePath().normalize();
    return new ResolvedImage(image, null, dir, repository, descriptor, new LayoutReferrerStore(dir), null);
  }

  /** The image entry of index.json, skipping referrer manifests (they carry the bundle artifactType). */
  static Descriptor selectImage(Path dir, String tag, String what) throws OciException {
    Path index = dir.resolve("index.json");
    if (!Files.isRegularFile(dir.resolve("oci-layout")) || !Files.isRegularFile(index)) {
      throw new dev.palisade.oci.source.ImageSourceException(what + " is not an OCI layout (oci-layout or index.json missing)");
    }
    JsonNode root;
    try {
      root = Json.parse(Files.readAllBytes(index), what + " index.json");
    } catch (IOException e) {
      throw new dev.palisade.oci.source.ImageSourceException(what + ": cannot read index.json: " + e.getMessage());
    }
    List<JsonNode> images = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (JsonNode entry : root.path("manifests")) {
      if (BundleReferrers.ARTIFACT_TYPE.equals(entry.path("artifactType").asText())) {
        continue;
      }
      String name = entry.path("annotations").path(OciLayoutSource.REF_NAME).asText(null);
      if (name != null) {
        names.add(name);
      }
      if (tag == null || tag.equals(name) || (name != null && name.endsWith(":" + tag))) {
        images.add(entry);
      }
    }
    if (images.size() != 1) {
      throw new dev.palisade.oci.source.ImageSourceException(what + (images.isEmpty() ? ": no image" : ": several images")
          + (tag == null ? "" : " tagged '" + tag + "'") + " in the layout; its tags: " + (names.isEmpty() ? "none" : String.join(", ", names)));
    }
    JsonNode entry = images.get(0);
    try {
      return Descriptor.of(entry.path("mediaType").asText(), Digest.parse(entry.path("digest").asText()), entry.path("size").asLong());
    } catch (IllegalArgumentException e) {
      throw new dev.palisade.oci.source.ImageSourceException(what + ": index.json entry is invalid: " + e.getMessage());
    }
  }
}
