package dev.palisade.testing;

/** The two registries tests need: the easy path and the one that looks like production. */
public enum RegistryFlavour {
    /** HTTP, anyone may read and write. */
    PLAIN,
    /** HTTPS with a self-signed certificate, and htpasswd basic auth on every request. */
    TLS_WITH_BASIC_AUTH
}
