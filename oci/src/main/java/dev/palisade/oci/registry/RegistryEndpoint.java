package dev.palisade.oci.registry;

import java.net.URI;

/**
 * Where a registry's API lives. HTTPS always, except for a host the user explicitly listed as
 * insecure: we never fall back from HTTPS to HTTP on our own, since that is exactly what an attacker
 * on the path would want.
 *
 * @param host host and optional port, e.g. {@code registry-1.docker.io} or {@code 127.0.0.1:5000}
 */
public record RegistryEndpoint(String host, boolean plainHttp) {

  public RegistryEndpoint {
    if (host == null || host.isBlank() || host.contains("/") || host.contains("@")) {
      throw new IllegalArgumentException("invalid registry host: " + host);
    }
  }

  public URI baseUri() {
    return URI.create((plainHttp ? "http://" : "https://") + host);
  }

  public URI resolve(String path) {
    return baseUri().resolve(path);
  }
}
