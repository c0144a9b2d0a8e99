package dev.palisade.oci.registry;

/** The registry answered, but not as the distribution API says: an unexpected status, a malformed challenge, a digest header that contradicts the content. */
public final class RegistryProtocolException extends RegistryException {
  private static final long serialVersionUID = 1L;

  public RegistryProtocolException(String message) {
    super(message);
  }

  public RegistryProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
