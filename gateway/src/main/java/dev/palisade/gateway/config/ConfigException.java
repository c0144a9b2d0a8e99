package dev.palisade.gateway.config;

import dev.palisade.gateway.ExitCode;
import dev.palisade.gateway.GatewayException;

/** The config is unusable; the message names the file, the line and the field. */
public final class ConfigException extends GatewayException {
  public ConfigException(String message) {
    super(ExitCode.CONFIG, message);
  }
}
