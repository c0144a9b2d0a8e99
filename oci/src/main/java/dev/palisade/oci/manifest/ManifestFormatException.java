package dev.palisade.oci.manifest;

import dev.palisade.oci.OciException;

/** A manifest, index or config that is not valid JSON of a known shape and media type. */
public final class ManifestFormatException extends OciException {
  private static final long serialVersionUID = 1L;

  public ManifestFormatException(String what, String problem) {
    super(what + ": " + problem);
  }

  public ManifestFormatException(String what, String problem, Throwable cause) {
    super(what + ": " + problem, cause);
  }
}
