package dev.palisade.signing.bundle;

import dev.palisade.signing.SigningException;

/** A document is not a Sigstore bundle we can read; the message names the document. */
public final class BundleFormatException extends SigningException {
  private static final long serialVersionUID = 1L;

  public BundleFormatException(String message) {
    super(message);
  }
}
