package dev.palisade.oci.auth;

import java.util.Optional;

/** Finds the credential for a registry host, if any. Implementations never print what they find. */
@FunctionalInterface
public interface CredentialProvider {

  /**
   * @param registryHost the host (and port) as it appears in image references, e.g. {@code
   *     ghcr.io} or {@code 127.0.0.1:5000}; Docker Hub is {@code docker.io}
   */
  Optional<Credential> credentialFor(String registryHost) throws CredentialException;

  static CredentialProvider none() {
    return host -> Optional.empty();
  }

  /** The first provider that has a credential for the host wins. */
  static CredentialProvider firstOf(CredentialProvider... providers) {
    return host -> {
      for (CredentialProvider provider : providers) {
        Optional<Credential> found = provider.credentialFor(host);
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    };
  }

  /** One fixed credential, for one host only: it is never sent to another registry. */
  static CredentialProvider fixed(String registryHost, Credential credential) {
    return host -> host.equals(registryHost) ? Optional.of(credential) : Optional.empty();
  }
}
