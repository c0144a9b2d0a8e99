package dev.palisade.oci.registry;

/** The repository, manifest or blob does not exist (404). */
public final class RegistryNotFoundException extends RegistryException {
  private static final long serialVersionUID = 1L;

  public RegistryNotFoundException(String message) {
    super(message);
  }

  public RegistryNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
