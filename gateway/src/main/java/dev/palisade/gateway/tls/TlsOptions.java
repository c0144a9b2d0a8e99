package dev.palisade.gateway.tls;

import dev.palisade.gateway.config.UpstreamTls;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.util.Set;

/**
 * Turns the TLS records of the config into Vert.x options. The listener's come from
 * {@link ServerTlsMaterial} (files read and checked once, then handed over as values, also to
 * {@code HttpServer#updateSSLOptions} on a certificate rotation); the upstream clients' are built
 * from the paths each time a runtime is built.
 */
public final class TlsOptions {

  /** TLS 1.0 and 1.1 are deprecated (RFC 8996); nothing older than 1.2 is offered. */
  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private TlsOptions() {}

  /** Sets TLS termination on the gateway's listener options, from checked material. */
  public static void applyTo(io.vertx.core.http.HttpServerOptions options, ServerTlsMaterial tls) {
    ServerSSLOptions ssl = tls.options();
    options.setSsl(true);
    options.setKeyCertOptions(ssl.getKeyCertOptions());
    if (ssl.getTrustOptions() != null) {
      options.setTrustOptions(ssl.getTrustOptions());
    }
    options.setClientAuth(ssl.getClientAuth());
    options.setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols());
  }

  /** Per-provider client options; hostname verification stays on whatever the CA. */
  public static ClientSSLOptions upstream(UpstreamTls tls) {
    ClientSSLOptions options = new ClientSSLOptions()
        .setHostnameVerificationAlgorithm("HTTPS")
        .setEnabledSecureTransportProtocols(PROTOCOLS);
    if (tls.caFile() != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(tls.caFile().toString()));
    }
    if (tls.hasClientCertificate()) {
      options.setKeyCertOptions(keyCert(tls.certFile().toString(), PemFiles.privateKeyPem(tls.keyFile(), tls.keyPassword())));
    }
    return options;
  }

  private static PemKeyCertOptions keyCert(String certPath, byte[] keyPem) {
    return new PemKeyCertOptions().setCertPath(certPath).setKeyValue(Buffer.buffer(keyPem));
  }
}
