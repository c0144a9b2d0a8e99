package dev.palisade.gateway.config;

/** Whether the gateway's TLS listener asks clients for a certificate. */
public enum ClientAuthMode {
  /** No client certificate is asked for. */
  NONE,
  /** A certificate is asked for; a client without one still connects (and needs another credential). */
  REQUEST,
  /** The TLS handshake fails without a certificate signed by the client CA. */
  REQUIRED
}
