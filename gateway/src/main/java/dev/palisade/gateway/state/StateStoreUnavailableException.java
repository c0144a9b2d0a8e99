package dev.palisade.gateway.state;

/**
 * The shared state store (Redis) did not answer in time or could not be reached. Its message is
 * safe to log: it never holds the Redis URL's secrets or the password.
 */
public final class StateStoreUnavailableException extends RuntimeException {

  public StateStoreUnavailableException(String message) {
    super(message, null, false, false); // no stack trace: this is an expected, frequent condition
  }
}
