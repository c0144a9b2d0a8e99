package dev.palisade.gateway.auth;

import dev.palisade.gateway.config.AuthMethod;
import dev.palisade.gateway.consumer.ConsumerRegistry;

/** Gateway keys: the existing hash lookup of {@link ConsumerRegistry}, as an {@link AuthOutcome}. */
final class KeyAuthenticator {

  private final ConsumerRegistry registry;

  KeyAuthenticator(ConsumerRegistry registry) {
    this.registry = registry;
  }

  AuthOutcome authenticate(String authorizationHeader) {
    return registry.authenticate(authorizationHeader)
        .<AuthOutcome>map(c -> new AuthOutcome.Authenticated(c, AuthMethod.KEY))
        .orElseGet(() -> AuthOutcome.unauthorized("unknown_key",
            "Missing or unknown gateway key: send 'Authorization: Bearer <your gateway key>'."));
  }
}
