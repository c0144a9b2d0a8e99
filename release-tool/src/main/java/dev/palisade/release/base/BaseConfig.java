package dev.palisade.release.base;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.palisade.oci.digest.Digest;
import dev.palisade.oci.reference.ImageReference;
import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The base image, pinned by digest in {@code release/base.yaml}. Two kinds:
 *
 * <ul>
 *   <li>{@code debian-packages}: assembled by the tool itself from pinned, checksum-verified .deb
 *       files, so a build needs no registry. {@code digest} is what the assembled base must hash to.
 *   <li>{@code image}: an image in a registry, {@code image: REGISTRY/REPO@sha256:...}. A base
 *       named only by a tag is refused: a tag can be moved to other bytes after review.
 * </ul>
 */
public record BaseConfig(
    String kind,
    String name,
    Digest digest,
    ImageReference image,
    Instant created,
    String architecture,
    String javaHome,
    int uid,
    List<URI> mirrors,
    List<DebianPackage> packages) {

  public static final String DEBIAN_PACKAGES = "debian-packages";
  public static final String IMAGE = "image";

  public BaseConfig {
    if (!DEBIAN_PACKAGES.equals(kind) && !IMAGE.equals(kind)) {
      throw new IllegalArgumentException("kind must be debian-packages or image");
    }
    if (digest == null) {
      throw new IllegalArgumentException("the base must be pinned by digest");
    }
    if (IMAGE.equals(kind) && (image == null || !digest.equals(image.digest()))) {
      throw new IllegalArgumentException("image base: the reference must carry the pinned digest");
    }
    mirrors = List.copyOf(mirrors);
    // Sorted once here so that every later step (unpack order, dpkg status, SBOM) is deterministic.
    packages = packages.stream().sorted(Comparator.comparing(DebianPackage::name)).toList();
  }

  public boolean assembled() {
    return DEBIAN_PACKAGES.equals(kind);
  }

  /** {@code name@digest}, for labels and provenance. */
  public String pinnedReference() {
    return name + "@" + digest;
  }

  public static BaseConfig load(Path file) throws ReleaseException {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new ReleaseException(Failure.USAGE, "cannot read base config " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ReleaseException(Failure.USAGE, file + ": expected a YAML mapping");
    }
    try {
      return parse(root);
    } catch (IllegalArgumentException e) {
      throw new ReleaseException(Failure.BASE_IMAGE, file + ": " + e.getMessage(), e);
    }
  }

  static BaseConfig parse(JsonNode root) throws ReleaseException {
    String kind = text(root, "kind", DEBIAN_PACKAGES);
    ImageReference image = null;
    Digest digest;
    String name;
    if (IMAGE.equals(kind)) {
      String ref = required(root, "image");
      try {
        image = ImageReference.parse(ref);
      } catch (Exception e) {
        throw new IllegalArgumentException("image: not an image reference: " + ref);
      }
      if (image.digest() == null) {
        throw new ReleaseException(Failure.BASE_IMAGE, "base image " + ref + " is named only by a tag; pin it by"
            + " digest (REPO@sha256:...) so that it cannot change under a release");
      }
      digest = image.digest();
      name = image.registry() + "/" + image.repository();
    } else {
      name = required(root, "name");
      String pinned = text(root, "digest", null);
      if (pinned == null || !Digest.isDigest(pinned)) {
        throw new ReleaseException(Failure.BASE_IMAGE, "base " + name + " has no pinned digest (digest: sha256:...);"
            + " run 'release-tool base' to assemble it and see its digest");
      }
      digest = Digest.parse(pinned);
    }
    List<URI> mirrors = new ArrayList<>();
    root.path("mirrors").forEach(m -> mirrors.add(URI.create(m.asText().endsWith("/") ? m.asText() : m.asText() + "/")));
    if (mirrors.isEmpty()) {
      mirrors.add(URI.create("https://deb.debian.org/"));
    }
    List<DebianPackage> packages = new ArrayList<>();
    for (JsonNode p : root.path("packages")) {
      packages.add(new DebianPackage(required(p, "name"), required(p, "version"), text(p, "architecture", "amd64"),
          required(p, "sha256"), p.path("size").asLong(), required(p, "path")));
    }
    if (DEBIAN_PACKAGES.equals(kind) && packages.isEmpty()) {
      throw new IllegalArgumentException("a debian-packages base needs packages");
    }
    return new BaseConfig(kind, name, digest, image, Instant.parse(text(root, "created", "2025-01-01T00:00:00Z")),
        text(root, "architecture", "amd64"), text(root, "javaHome", "/usr/lib/jvm/java-17-openjdk-amd64"),
        root.path("uid").asInt(65532), mirrors, packages);
  }

  private static String required(JsonNode node, String field) {
    String value = text(node, field, null);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing '" + field + "'");
    }
    return value;
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? fallback : value.asText();
  }
}
