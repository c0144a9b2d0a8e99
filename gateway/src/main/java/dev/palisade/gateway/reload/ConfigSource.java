package dev.palisade.gateway.reload;

import dev.palisade.gateway.config.GatewayConfig;
import java.nio.file.Path;

/**
 * Loads and fully validates the config file, secrets decrypted, as start-up does. Blocking: the
 * reloader calls it on a worker thread.
 */
public interface ConfigSource {

  Path file();

  /** Throws a {@link dev.palisade.gateway.GatewayException} naming the problem if the config is bad. */
  GatewayConfig load();
}
