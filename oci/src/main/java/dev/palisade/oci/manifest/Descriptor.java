package dev.palisade.oci.manifest;

import dev.palisade.oci.digest.Digest;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An OCI content descriptor: what a manifest says about a blob or another manifest.
 *
 * @param platform only on index entries; may be null
 * @param artifactType may be null
 */
public record Descriptor(
    String mediaType,
    Digest digest,
    long size,
    Platform platform,
    Map<String, String> annotations,
    String artifactType,
    List<String> urls) {

  public Descriptor {
    if (mediaType == null || mediaType.isBlank()) {
      throw new IllegalArgumentException("descriptor has no mediaType");
    }
    if (digest == null) {
      throw new IllegalArgumentException("descriptor has no digest");
    }
    if (size < 0) {
      throw new IllegalArgumentException("descriptor size is negative: " + size);
    }
    annotations = annotations == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
    urls = urls == null ? List.of() : List.copyOf(urls);
  }

  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, null, null, null, null);
  }
}
