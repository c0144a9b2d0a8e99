package dev.palisade.signing.intoto;

import dev.palisade.signing.SigningException;

/** A payload is not a well-formed in-toto Statement v1. */
public final class StatementException extends SigningException {
  private static final long serialVersionUID = 1L;

  public StatementException(String message) {
    super(message);
  }
}
