package dev.palisade.gateway.cli;

import dev.palisade.gateway.config.ConfigLoader;
import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.config.SecretResolver;
import java.nio.file.Path;
import java.util.logging.Logger;

/** Loads a config the same way for {@code serve} and {@code config check}. */
final class ConfigLoading {

  private static final Logger LOG = Logger.getLogger("dev.palisade.gateway");

  private ConfigLoading() {}

  static GatewayConfig load(Path file, SecretOptions secrets) {
    SecretResolver resolver = new SecretResolver(secrets.ring(), secrets.allowPlaintext);
    GatewayConfig config = new ConfigLoader(resolver).load(file);
    if (resolver.plaintextSeen()) {
      LOG.warning("the config holds plaintext provider keys (allowed by --allow-plaintext-secrets);"
          + " encrypt them with 'gateway secrets encrypt'");
    }
    return config;
  }
}
