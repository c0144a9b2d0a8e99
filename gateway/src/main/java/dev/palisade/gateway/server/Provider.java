package dev.palisade.gateway.server;

import dev.palisade.gateway.config.ProviderConfig;
import dev.palisade.gateway.keypool.KeyPool;
import dev.palisade.gateway.provider.ProviderAdapter;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ClientSSLOptions;

/**
 * A configured provider with its protocol adapter and key pool.
 *
 * @param ssl per-provider TLS (private CA, client certificate); null for Vert.x's defaults
 */
record Provider(ProviderConfig config, ProviderAdapter adapter, KeyPool pool, ClientSSLOptions ssl) {

  /** Puts this provider's TLS options (if any) on a request to it. */
  RequestOptions withTls(RequestOptions options) {
    return ssl == null ? options : options.setSslOptions(ssl);
  }

  String name() {
    return config.name();
  }
}
