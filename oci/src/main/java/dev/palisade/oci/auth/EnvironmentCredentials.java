package dev.palisade.oci.auth;

import java.util.Map;
import java.util.Optional;

/**
 * Credentials from environment variables, the way CI secrets arrive: {@code REGISTRY_USERNAME} and
 * {@code REGISTRY_PASSWORD}. {@code REGISTRY_HOST}, when set, limits them to that one registry so
 * a secret meant for one registry is never offered to another. {@code GITHUB_TOKEN} is used for
 * {@code ghcr.io} with {@code GITHUB_ACTOR} (or a placeholder) as the username.
 */
public final class EnvironmentCredentials implements CredentialProvider {

  public static final String USERNAME = "REGISTRY_USERNAME";
  public static final String PASSWORD = "REGISTRY_PASSWORD";
  public static final String HOST = "REGISTRY_HOST";

  private final Map<String, String> environment;

  public EnvironmentCredentials(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  public static EnvironmentCredentials fromSystem() {
    return new EnvironmentCredentials(System.getenv());
  }

  @Override
  public Optional<Credential> credentialFor(String registryHost) throws CredentialException {
    String username = environment.get(USERNAME);
    String password = environment.get(PASSWORD);
    String host = environment.get(HOST);
    if (nonEmpty(username) && nonEmpty(password)) {
      if (nonEmpty(host) && !host.equals(registryHost)) {
        return ghcr(registryHost);
      }
      return Optional.of(new Credential(username, password));
    }
    if (nonEmpty(username) != nonEmpty(password)) {
      throw new CredentialException(
          "only one of " + USERNAME + " and " + PASSWORD + " is set; set both or neither");
    }
    return ghcr(registryHost);
  }

  private Optional<Credential> ghcr(String registryHost) {
    String token = environment.get("GITHUB_TOKEN");
    if ("ghcr.io".equals(registryHost) && nonEmpty(token)) {
      String actor = environment.getOrDefault("GITHUB_ACTOR", "github-actions");
      return Optional.of(new Credential(nonEmpty(actor) ? actor : "github-actions", token));
    }
    return Optional.empty();
  }

  private static boolean nonEmpty(String value) {
    return value != null && !value.isEmpty();
  }
}
