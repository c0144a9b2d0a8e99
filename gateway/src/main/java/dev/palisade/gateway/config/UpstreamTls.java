package dev.palisade.gateway.config;

import dev.palisade.gateway.secrets.Secret;
import java.nio.file.Path;

/**
 * TLS towards one provider: a private CA to trust instead of the JDK's, and/or a client
 * certificate for providers (or egress proxies) that require mTLS.
 *
 * @param caFile PEM CA certificate(s) to trust; null trusts the JDK's default CAs
 * @param certFile PEM client certificate chain; null for no client certificate
 * @param keyFile PEM key of {@code certFile} (PKCS#8, optionally encrypted)
 * @param keyPassword password of an encrypted {@code keyFile}; null otherwise
 */
public record UpstreamTls(Path caFile, Path certFile, Path keyFile, Secret keyPassword) {

  public UpstreamTls {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("cert_file and key_file go together");
    }
    if (keyPassword != null && keyFile == null) {
      throw new IllegalArgumentException("key_password needs key_file");
    }
    if (caFile == null && certFile == null) {
      throw new IllegalArgumentException("set ca_file, cert_file/key_file or both");
    }
  }

  public boolean hasClientCertificate() {
    return certFile != null;
  }
}
