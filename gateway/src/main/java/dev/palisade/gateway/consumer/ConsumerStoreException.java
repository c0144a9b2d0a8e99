package dev.palisade.gateway.consumer;

import dev.palisade.gateway.ExitCode;
import dev.palisade.gateway.GatewayException;

/**
 * A consumer store write that cannot be done as asked. The admin API maps {@link #reason()} to an
 * HTTP status; at start-up or reload a seeding conflict is a config error.
 */
public final class ConsumerStoreException extends GatewayException {

  public enum Reason { NOT_FOUND, CONFLICT, READ_ONLY, UNAVAILABLE }

  private final Reason reason;

  public ConsumerStoreException(Reason reason, String message) {
    super(ExitCode.CONFIG, message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
