package dev.palisade.oci.registry;

import dev.palisade.oci.OciException;

/** Talking to a registry failed. Subclasses say how; the message names the registry and what was asked. */
public class RegistryException extends OciException {
  private static final long serialVersionUID = 1L;

  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
