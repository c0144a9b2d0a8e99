package dev.palisade.oci.manifest;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An OCI image index or Docker manifest list. */
public record ImageIndex(
    String mediaType,
    List<Descriptor> manifests,
    Descriptor subject,
    String artifactType,
    Map<String, String> annotations)
    implements Manifest {

  public ImageIndex {
    manifests = List.copyOf(manifests);
    annotations = annotations == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
  }
}
