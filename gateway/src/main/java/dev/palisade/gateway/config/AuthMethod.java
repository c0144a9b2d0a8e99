package dev.palisade.gateway.config;

import java.util.Locale;

/** A way a consumer proves who it is. */
public enum AuthMethod {
  /** {@code Authorization: Bearer pgw-...}, a gateway-issued key stored as SHA-256. */
  KEY,
  /** {@code Authorization: Bearer <JWT>} signed by a key of the configured JWKS. */
  JWT,
  /** The TLS client certificate of the connection. */
  CLIENT_CERT;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
