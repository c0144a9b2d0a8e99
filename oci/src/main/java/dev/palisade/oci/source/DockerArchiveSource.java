package dev.palisade.oci.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.oci.OciException;
import dev.palisade.oci.digest.Digest;
import dev.palisade.oci.digest.VerifyingInputStream;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ImageConfig;
import dev.palisade.oci.manifest.Json;
import dev.palisade.oci.manifest.ManifestDocument;
import dev.palisade.oci.manifest.ManifestFormatException;
import dev.palisade.oci.manifest.ManifestParser;
import dev.palisade.oci.manifest.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A {@code docker save} tarball ({@code docker-archive:FILE[:NAME:TAG]}). It has no manifest of
 * its own, so we make one from {@code manifest.json}: the config's digest is computed from its
 * bytes and each layer's digest is its diff ID (the layers are uncompressed tars) or, for the
 * newer OCI-style archives, the blob name.
 */
public final class DockerArchiveSource implements ImageSource {

  private final TarArchiveFiles files;
  private final String tag;
  private final String description;
  private final Map<Digest, String> paths = new HashMap<>();
  private ManifestDocument root;

  private DockerArchiveSource(TarArchiveFiles files, String tag, String description) {
    this.files = files;
    this.tag = tag;
    this.description = description;
  }

  /** @param tag {@code name:tag} as in RepoTags, or null when the archive holds one image */
  public static DockerArchiveSource open(Path file, String tag) throws ImageSourceException {
    if (!Files.isRegularFile(file)) {
      throw new ImageSourceException("docker archive " + file + " is not a file");
    }
    try {
      return new DockerArchiveSource(new TarArchiveFiles(file), tag,
          "docker-archive:" + file + (tag == null ? "" : ":" + tag));
    } catch (IOException e) {
      throw new ImageSourceException("docker archive " + file + " is not a readable tar: " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public boolean syntheticManifest() {
    return true;
  }

  @Override
  public synchronized ManifestDocument rootManifest() throws OciException {
    if (root != null) {
      return root;
    }
    JsonNode manifests;
    try {
      byte[] bytes = files.readSmall("manifest.json", description);
      manifests = Json.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new ImageSourceException(description + ": manifest.json is not valid JSON");
    }
    if (manifests == null || !manifests.isArray() || manifests.isEmpty()) {
      throw new ImageSourceException(description + ": manifest.json lists no images");
    }
    JsonNode entry = select(manifests);
    String configPath = entry.path("Config").asText(null);
    if (configPath == null) {
      throw new ImageSourceException(description + ": manifest.json entry has no Config");
    }
    byte[] configBytes = files.readSmall(configPath, description);
    Digest configDigest = Digest.sha256(configBytes);
    ImageConfig config = parseConfig(configBytes);
    JsonNode layers = entry.path("Layers");
    if (!layers.isArray()) {
      throw new ImageSourceException(description + ": manifest.json entry has no Layers array");
    }
    if (layers.size() > ManifestParser.MAX_LAYERS) {
      throw new ImageSourceException(description + ": " + layers.size() + " layers exceeds the limit of " + ManifestParser.MAX_LAYERS);
    }
    if (layers.size() != config.diffIds().size()) {
      throw new ImageSourceException(description + ": manifest.json lists " + layers.size()
          + " layers but the config has " + config.diffIds().size() + " diff IDs");
    }
    paths.put(configDigest, configPath);
    ObjectNode manifest = Json.mapper().createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MediaTypes.DOCKER_MANIFEST);
    manifest.set("config", descriptorNode(MediaTypes.DOCKER_CONFIG, configDigest, configBytes.length));
    ArrayNode layerNodes = manifest.putArray("layers");
    for (int i = 0; i < layers.size(); i++) {
      String path = layers.get(i).asText();
      Digest digest = layerDigest(path, config.diffIds().get(i));
      OptionalLong size = sizeOf(path);
      if (size.isEmpty()) {
        throw new ImageSourceException(description + ": layer " + path + " named in manifest.json is missing");
      }
      paths.put(digest, path);
      layerNodes.add(descriptorNode(MediaTypes.OCI_LAYER_TAR, digest, size.getAsLong()));
    }
    byte[] bytes = manifest.toString().getBytes(StandardCharsets.UTF_8);
    root = ManifestDocument.parse(bytes, MediaTypes.DOCKER_MANIFEST, description + " manifest");
    return root;
  }

  private JsonNode select(JsonNode manifests) throws ImageSourceException {
    List<String> names = new ArrayList<>();
    for (JsonNode entry : manifests) {
      for (JsonNode repoTag : entry.path("RepoTags")) {
        String name = repoTag.asText();
        names.add(name);
        if (tag != null && (name.equals(tag) || name.endsWith("/" + tag))) {
          return entry;
        }
      }
    }
    if (tag == null && manifests.size() == 1) {
      return manifests.get(0);
    }
    if (tag == null) {
      throw new ImageSourceException(description + " holds " + manifests.size() + " images; name one with :NAME:TAG (" + String.join(", ", names) + ")");
    }
    throw new ImageSourceException(description + ": no image tagged '" + tag + "'; the archive has " + (names.isEmpty() ? "no tags" : String.join(", ", names)));
  }

  private Digest layerDigest(String path, String diffId) throws ImageSourceException {
    String normalized = TarArchiveFiles.normalize(path);
    if (normalized.startsWith("blobs/sha256/")) {
      try {
        return new Digest("sha256", normalized.substring("blobs/sha256/".length()));
      } catch (IllegalArgumentException e) {
        throw new ImageSourceException(description + ": layer blob name " + path + " is not a digest");
      }
    }
    try {
      return Digest.parse(diffId);
    } catch (IllegalArgumentException e) {
      throw new ImageSourceException(description + ": diff ID '" + diffId + "' is not a digest");
    }
  }

  private ImageConfig parseConfig(byte[] bytes) throws ImageSourceException {
    try {
      return ManifestParser.parseConfig(bytes, description + " config");
    } catch (ManifestFormatException e) {
      throw new ImageSourceException(e.getMessage(), e);
    }
  }

  private static ObjectNode descriptorNode(String mediaType, Digest digest, long size) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("mediaType", mediaType);
    node.put("digest", digest.toString());
    node.put("size", size);
    return node;
  }

  @Override
  public ManifestDocument manifest(Descriptor descriptor) throws OciException {
    ManifestDocument document = rootManifest();
    if (descriptor.digest().equals(document.digest())) {
      return document;
    }
    throw new ImageSourceException(description + " has no manifest " + descriptor.digest());
  }

  @Override
  public InputStream openBlob(Descriptor descriptor) throws OciException {
    rootManifest();
    String path = paths.get(descriptor.digest());
    if (path == null) {
      throw new ImageSourceException(description + " has no blob " + descriptor.digest());
    }
    try {
      InputStream in = files.open(path);
      if (in == null) {
        throw new ImageSourceException(description + ": blob " + path + " is missing");
      }
      return new VerifyingInputStream(in, descriptor.digest(), descriptor.size());
    } catch (IOException e) {
      throw new ImageSourceException(description + ": cannot open " + path + ": " + e.getMessage(), e);
    }
  }

  private OptionalLong sizeOf(String path) throws ImageSourceException {
    try {
      return files.size(path);
    } catch (IOException e) {
      throw new ImageSourceException(description + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    files.close();
  }
}
