package dev.palisade.oci;

/**
 * Root of every checked exception the OCI library throws. Each area has its own subclass so a CLI
 * can map a whole area to one exit code in one place.
 */
public class OciException extends Exception {
  private static final long serialVersionUID = 1L;

  public OciException(String message) {
    super(message);
  }

  public OciException(String message, Throwable cause) {
    super(message, cause);
  }
}
