package dev.palisade.oci.registry;

/** Credentials are missing or were refused (401/403 after the challenge flow). */
public final class RegistryAuthenticationException extends RegistryException {
  private static final long serialVersionUID = 1L;

  public RegistryAuthenticationException(String message) {
    super(message);
  }

  public RegistryAuthenticationException(String message, Throwable cause) {
    super(message, cause);
  }
}
