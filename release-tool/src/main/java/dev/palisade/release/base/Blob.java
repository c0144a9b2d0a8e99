package dev.palisade.release.base;

import dev.palisade.oci.digest.Digest;
import java.util.Objects;

/** A blob written into a layout: its digest, size and media type, i.e. an OCI descriptor. */
public record Blob(String mediaType, Digest digest, long size) {
  public Blob {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
  }
}
