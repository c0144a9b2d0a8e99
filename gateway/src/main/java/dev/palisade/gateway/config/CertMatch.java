package dev.palisade.gateway.config;

/** Which part of a client certificate names its consumer. */
public enum CertMatch {
  /** SHA-256 of the DER certificate: pins one certificate; a renewal needs a config change. */
  FINGERPRINT,
  /** The subject DN (RFC 2253 form): survives renewal by the same CA. */
  SUBJECT,
  /** Any DNS, URI, e-mail or IP subject alternative name (e.g. a SPIFFE ID). */
  SAN
}
