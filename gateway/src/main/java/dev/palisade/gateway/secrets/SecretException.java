package dev.palisade.gateway.secrets;

import dev.palisade.gateway.ExitCode;
import dev.palisade.gateway.GatewayException;

/** A master key or an encrypted value is missing, malformed or wrong. Never carries a secret. */
public final class SecretException extends GatewayException {
  public SecretException(String message) {
    super(ExitCode.SECRETS, message);
  }
}
