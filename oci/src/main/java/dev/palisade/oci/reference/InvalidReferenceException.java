package dev.palisade.oci.reference;

import dev.palisade.oci.OciException;

/** An image reference that does not parse. */
public final class InvalidReferenceException extends OciException {
  private static final long serialVersionUID = 1L;

  public InvalidReferenceException(String reference, String problem) {
    super("invalid image reference '" + reference + "': " + problem);
  }
}
