package dev.palisade.oci.manifest;

import java.util.Map;

/** An image manifest or an index, as parsed from its exact bytes. */
public sealed interface Manifest permits ImageManifest, ImageIndex {

  String mediaType();

  /** The manifest this one refers to (signatures, attestations), or null. */
  Descriptor subject();

  String artifactType();

  Map<String, String> annotations();
}
