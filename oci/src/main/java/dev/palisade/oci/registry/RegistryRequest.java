package dev.palisade.oci.registry;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * One HTTP request to a registry. The body is repeatable (bytes or a file) because an auth challenge
 * means sending it again.
 *
 * @param scope the token scope this request needs, e.g. {@code repository:team/app:pull}
 */
record RegistryRequest(
    String method, URI uri, Map<String, String> headers, byte[] body, Path bodyFile, String scope) {

  RegistryRequest {
    headers = Map.copyOf(headers);
  }

  static RegistryRequest get(URI uri, String scope, Map<String, String> headers) {
    return new RegistryRequest("GET", uri, headers, null, null, scope);
  }

  static RegistryRequest head(URI uri, String scope, Map<String, String> headers) {
    return new RegistryRequest("HEAD", uri, headers, null, null, scope);
  }

  boolean idempotent() {
    return method.equals("GET") || method.equals("HEAD");
  }

  RegistryRequest withUri(URI newUri) {
    return new RegistryRequest(method, newUri, headers, body, bodyFile, scope);
  }
}
