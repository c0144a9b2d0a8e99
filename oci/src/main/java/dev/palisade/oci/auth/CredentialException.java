package dev.palisade.oci.auth;

import dev.palisade.oci.OciException;

/** Credentials were configured but could not be read: a broken config.json or a failing helper. */
public final class CredentialException extends OciException {
  private static final long serialVersionUID = 1L;

  public CredentialException(String message) {
    super(message);
  }

  public CredentialException(String message, Throwable cause) {
    super(message, cause);
  }
}
