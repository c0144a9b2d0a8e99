package dev.palisade.release.image;

import dev.palisade.cli.UsageException;
import dev.palisade.oci.reference.ImageReference;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the image goes: {@code oci:DIR} (an OCI layout; the default), {@code docker-archive:FILE}
 * (for {@code docker load}), or {@code REGISTRY/REPO[:TAG]} (pushed after the scan gate).
 */
public record ImageTarget(Kind kind, Path path, ImageReference reference) {

  public enum Kind { OCI_LAYOUT, DOCKER_ARCHIVE, REGISTRY }

  public ImageTarget {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.REGISTRY) != (reference != null) || (kind != Kind.REGISTRY) != (path != null)) {
      throw new IllegalArgumentException("a registry target has a reference, a file target a path");
    }
  }

  public static ImageTarget parse(String text) throws UsageException {
    if (text.startsWith("oci:")) {
      return new ImageTarget(Kind.OCI_LAYOUT, Path.of(nonEmpty(text.substring(4), text)), null);
    }
    if (text.startsWith("docker-archive:")) {
      return new ImageTarget(Kind.DOCKER_ARCHIVE, Path.of(nonEmpty(text.substring(15), text)), null);
    }
    try {
      ImageReference ref = ImageReference.parse(text);
      if (ref.digest() != null) {
        throw new UsageException("--to " + text + ": push to a tag or a repository, not a digest");
      }
      return new ImageTarget(Kind.REGISTRY, null, ref);
    } catch (UsageException e) {
      throw e;
    } catch (Exception e) {
      throw new UsageException("--to " + text + ": expected oci:DIR, docker-archive:FILE or REGISTRY/REPO[:TAG]");
    }
  }

  private static String nonEmpty(String value, String text) throws UsageException {
    if (value.isBlank()) {
      throw new UsageException("--to " + text + ": the path is missing");
    }
    return value;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case OCI_LAYOUT -> "oci:" + path;
      case DOCKER_ARCHIVE -> "docker-archive:" + path;
      case REGISTRY -> reference.toString();
    };
  }
}
