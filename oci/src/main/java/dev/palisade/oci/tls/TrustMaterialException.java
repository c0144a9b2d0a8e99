package dev.palisade.oci.tls;

import dev.palisade.oci.OciException;

/** A CA file that cannot be read or holds no certificate. */
public final class TrustMaterialException extends OciException {
  private static final long serialVersionUID = 1L;

  public TrustMaterialException(String message, Throwable cause) {
    super(message, cause);
  }
}
