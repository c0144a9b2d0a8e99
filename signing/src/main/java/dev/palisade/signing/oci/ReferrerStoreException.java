package dev.palisade.signing.oci;

import dev.palisade.signing.SigningException;

/** Bundles cannot be stored or listed (registry refused, layout unreadable); the cause says which. */
public final class ReferrerStoreException extends SigningException {
  private static final long serialVersionUID = 1L;

  public ReferrerStoreException(String message) {
    super(message);
  }

  public ReferrerStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
