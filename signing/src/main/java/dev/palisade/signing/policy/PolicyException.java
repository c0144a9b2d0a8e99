package dev.palisade.signing.policy;

import dev.palisade.signing.SigningException;

/** A trust policy file is invalid: {@code FILE:LINE: message}, so an editor can jump to it. */
public final class PolicyException extends SigningException {
  private static final long serialVersionUID = 1L;

  private final int line;

  public PolicyException(String file, int line, String message) {
    super(file + (line > 0 ? ":" + line : "") + ": " + message);
    this.line = line;
  }

  public int line() {
    return line;
  }
}
