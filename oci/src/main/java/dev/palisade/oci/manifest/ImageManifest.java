package dev.palisade.oci.manifest;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A single-platform image manifest (OCI or Docker v2 schema 2). */
public record ImageManifest(
    String mediaType,
    Descriptor config,
    List<Descriptor> layers,
    Descriptor subject,
    String artifactType,
    Map<String, String> annotations)
    implements Manifest {

  public ImageManifest {
    if (config == null) {
      throw new IllegalArgumentException("manifest has no config");
    }
    layers = List.copyOf(layers);
    annotations = annotations == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
  }
}
