package dev.palisade.signing.keys;

import dev.palisade.signing.SigningException;

/** A key file cannot be read, decrypted or written; the message names the file. */
public final class KeyException extends SigningException {
  private static final long serialVersionUID = 1L;

  public KeyException(String message) {
    super(message);
  }

  public KeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
