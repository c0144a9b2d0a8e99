package dev.palisade.release.base;

import dev.palisade.oci.digest.Digest;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A base image assembled from Debian packages, in two forms: an OCI layout (what it is, with the
 * pinned digest) and a {@code docker save}-style tar holding the same config and layer bytes, which
 * is what jib-core accepts as a local base ({@code Jib.from(TarImage)}).
 */
public record AssembledBase(Path layout, Path dockerArchive, Digest manifestDigest, Blob config, List<Blob> layers,
    List<Digest> diffIds) {
  public AssembledBase {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(dockerArchive, "dockerArchive");
    Objects.requireNonNull(manifestDigest, "manifestDigest");
    layers = List.copyOf(layers);
    diffIds = List.copyOf(diffIds);
    if (layers.size() != diffIds.size()) {
      throw new IllegalArgumentException("one diff id per layer");
    }
  }
}
