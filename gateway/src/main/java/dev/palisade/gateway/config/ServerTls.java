package dev.palisade.gateway.config;

import dev.palisade.gateway.secrets.Secret;
import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS termination on the gateway port. Only paths and the (decrypted) key password are held, so
 * a reload can build fresh TLS options from the same record after the files were rotated.
 *
 * @param keyPassword the password of an encrypted PKCS#8 key file; null for an unencrypted key
 * @param clientCaFile PEM CA certificate(s) client certificates must chain to; null when
 *     {@code clientAuth} is {@link ClientAuthMode#NONE}
 */
public record ServerTls(
    Path certFile, Path keyFile, Secret keyPassword, Path clientCaFile, ClientAuthMode clientAuth) {

  public ServerTls {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(clientAuth, "clientAuth");
    if (clientAuth != ClientAuthMode.NONE && clientCaFile == null) {
      throw new IllegalArgumentException("client_auth " + clientAuth + " needs client_ca_file");
    }
  }
}
