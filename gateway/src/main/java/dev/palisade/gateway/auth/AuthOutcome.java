package dev.palisade.gateway.auth;

import dev.palisade.gateway.config.AuthMethod;
import dev.palisade.gateway.config.ConsumerConfig;

/**
 * The verdict on a request's credential. A refusal's message is the gateway's own wording: it
 * never repeats the token, key or certificate it was given.
 */
public sealed interface AuthOutcome {

  record Authenticated(ConsumerConfig consumer, AuthMethod method) implements AuthOutcome {}

  /**
   * @param status 401 for a bad or missing credential, 503 when it cannot be checked right now
   * @param reason a short label for metrics and logs (bounded vocabulary)
   */
  record Refused(int status, String code, String reason, String message) implements AuthOutcome {}

  static Refused unauthorized(String reason, String message) {
    return new Refused(401, "invalid_api_key", reason, message);
  }
}
