package dev.palisade.oci.auth;

/**
 * A registry username and secret (password or token). {@link #toString} never shows the secret: a
 * Credential that ends up in a log line or an exception message must not leak it.
 */
public record Credential(String username, String secret) {

  public Credential {
    if (username == null || secret == null) {
      throw new IllegalArgumentException("a credential needs a username and a secret");
    }
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("the secret of a credential must not be empty");
    }
  }

  @Override
  public String toString() {
    return "Credential[username=" + username + ", secret=<redacted>]";
  }
}
