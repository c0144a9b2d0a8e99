package dev.palisade.scanner.source;

import dev.palisade.oci.reference.ImageReference;
import dev.palisade.oci.reference.InvalidReferenceException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the user asked to scan, parsed from the transports skopeo users know: {@code oci:DIR[:TAG]},
 * {@code oci-archive:FILE[:TAG]}, {@code docker-archive:FILE[:NAME:TAG]}, {@code
 * docker-daemon:NAME}, {@code dir:ROOTFS}, or a registry reference.
 */
public sealed interface ImageSpec {

  record Registry(ImageReference reference) implements ImageSpec {}

  record OciLayout(Path directory, String tag) implements ImageSpec {}

  record OciArchive(Path file, String tag) implements ImageSpec {}

  record DockerArchive(Path file, String tag) implements ImageSpec {}

  record DockerDaemon(String name) implements ImageSpec {}

  record Directory(Path root) implements ImageSpec {}

  /** Parses a spec; the exception names the input and what is wrong with it. */
  static ImageSpec parse(String text) throws InvalidImageSpecException {
    if (text == null || text.isBlank()) {
      throw new InvalidImageSpecException(String.valueOf(text), "empty image name");
    }
    if (text.startsWith("oci:")) {
      PathAndTag pt = PathAndTag.split(text.substring(4), true);
      return new OciLayout(pt.path(), pt.tag());
    }
    if (text.startsWith("oci-archive:")) {
      PathAndTag pt = PathAndTag.split(text.substring(12), false);
      return new OciArchive(pt.path(), pt.tag());
    }
    if (text.startsWith("docker-archive:")) {
      String rest = text.substring(15);
      // FILE[:NAME:TAG]: the file is everything up to the first ':' after which a name follows.
      int colon = rest.indexOf(':');
      if (colon < 0 || Files.exists(Path.of(rest))) {
        return new DockerArchive(requirePath(rest, text), null);
      }
      return new DockerArchive(requirePath(rest.substring(0, colon), text), rest.substring(colon + 1));
    }
    if (text.startsWith("docker-daemon:")) {
      String name = text.substring(14);
      if (name.isBlank()) {
        throw new InvalidImageSpecException(text, "docker-daemon: needs an image name");
      }
      return new DockerDaemon(name);
    }
    if (text.startsWith("dir:")) {
      return new Directory(requirePath(text.substring(4), text));
    }
    if (text.startsWith("docker://")) {
      return parseRegistry(text.substring(9), text);
    }
    return parseRegistry(text, text);
  }

  private static ImageSpec parseRegistry(String reference, String original) throws InvalidImageSpecException {
    try {
      return new Registry(ImageReference.parse(reference));
    } catch (InvalidReferenceException e) {
      throw new InvalidImageSpecException(original, e.getMessage()
          + " (local images: oci:DIR, oci-archive:FILE, docker-archive:FILE, docker-daemon:NAME, dir:ROOTFS)");
    }
  }

  private static Path requirePath(String path, String original) throws InvalidImageSpecException {
    if (path.isEmpty()) {
      throw new InvalidImageSpecException(original, "no path given");
    }
    return Path.of(path);
  }

  /** A path with an optional {@code :TAG} suffix; a path that exists as written has no tag. */
  record PathAndTag(Path path, String tag) {
    static PathAndTag split(String rest, boolean directory) throws InvalidImageSpecException {
      if (rest.isEmpty()) {
        throw new InvalidImageSpecException(rest, "no path given");
      }
      Path whole = Path.of(rest);
      int colon = rest.lastIndexOf(':');
      if (colon < 0 || (directory ? Files.isDirectory(whole) : Files.isRegularFile(whole))) {
        return new PathAndTag(whole, null);
      }
      String tag = rest.substring(colon + 1);
      if (tag.isEmpty() || tag.contains("/")) {
        return new PathAndTag(whole, null);
      }
      return new PathAndTag(Path.of(rest.substring(0, colon)), tag);
    }
  }
}
