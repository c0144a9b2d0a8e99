package dev.palisade.release.image;

import dev.palisade.oci.digest.Digest;
import dev.palisade.release.git.GitFacts;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A built image, as an OCI layout on disk: the exact bytes that are scanned, pushed and described.
 *
 * @param layout the OCI layout directory
 * @param tag the layout's ref name for the image
 * @param digest manifest digest
 * @param imageName repository name, e.g. {@code ghcr.io/org/gateway} (no tag)
 */
public record BuiltImage(Path layout, String tag, Digest digest, Digest configDigest, String imageName,
    GitFacts git, List<ClasspathEntry> dependencies) {
  public BuiltImage {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(imageName, "imageName");
    Objects.requireNonNull(git, "git");
    dependencies = List.copyOf(dependencies);
  }

  /** {@code pkg:oci/NAME@sha256:...?repository_url=...}, the image's package URL. */
  public String purl() {
    int slash = imageName.lastIndexOf('/');
    String last = slash < 0 ? imageName : imageName.substring(slash + 1);
    return "pkg:oci/" + last + "@" + digest.toString().replace(":", "%3A") + "?repository_url="
        + imageName + "&tag=" + git.version();
  }
}
