package dev.palisade.signing;

/**
 * Root of every checked exception the signing library throws. Subclasses name the area (keys,
 * bundles, storage, policy, verification) so a CLI maps each area to one exit code in one place.
 */
public class SigningException extends Exception {
  private static final long serialVersionUID = 1L;

  public SigningException(String message) {
    super(message);
  }

  public SigningException(String message, Throwable cause) {
    super(message, cause);
  }
}
