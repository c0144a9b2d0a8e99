package dev.palisade.gateway.config;

import java.util.List;

/**
 * Which credentials the gateway accepts, in the order they are tried. The first method whose
 * credential is present in a request decides: a bad JWT is refused, never retried as a key.
 *
 * @param jwt null unless {@link AuthMethod#JWT} is enabled
 * @param certMatch null unless {@link AuthMethod#CLIENT_CERT} is enabled
 */
public record AuthConfig(List<AuthMethod> methods, JwtConfig jwt, CertMatch certMatch) {

  /** Gateway keys only: the behaviour before JWT and certificates existed. */
  public static final AuthConfig KEYS_ONLY = new AuthConfig(List.of(AuthMethod.KEY), null, null);

  public AuthConfig {
    methods = List.copyOf(methods);
    if (methods.isEmpty()) {
      throw new IllegalArgumentException("at least one auth method is needed");
    }
    if (methods.contains(AuthMethod.JWT) != (jwt != null)) {
      throw new IllegalArgumentException("auth.jwt is needed exactly when jwt is a method");
    }
    if (methods.contains(AuthMethod.CLIENT_CERT) != (certMatch != null)) {
      throw new IllegalArgumentException("auth.client_cert is needed exactly when client_cert is a method");
    }
  }

  public boolean accepts(AuthMethod method) {
    return methods.contains(method);
  }
}
