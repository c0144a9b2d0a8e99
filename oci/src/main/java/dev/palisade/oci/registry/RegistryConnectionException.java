package dev.palisade.oci.registry;

/** The registry could not be reached or stopped answering: connection refused, TLS failure, timeout. */
public final class RegistryConnectionException extends RegistryException {
  private static final long serialVersionUID = 1L;

  public RegistryConnectionException(String message) {
    super(message);
  }

  public RegistryConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
