package dev.palisade.gateway.server;

import dev.palisade.gateway.config.ProviderConfig;
import dev.palisade.gateway.keypool.KeyPool;
import dev.palisade.gateway.provider.ProviderAdapter;

/** A configured provider with its protocol adapter and key pool. */
record Provider(ProviderConfig config, ProviderAdapter adapter, KeyPool pool) {
  String name() {
    return config.name();
  }
}
