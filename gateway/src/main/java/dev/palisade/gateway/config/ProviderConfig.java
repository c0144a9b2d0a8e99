package dev.palisade.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * An upstream LLM provider.
 *
 * @param baseUrl e.g. {@code https://api.openai.com/v1}; request paths are appended to it
 * @param apiVersion Azure's {@code api-version} query value; null for other protocols
 * @param firstByteTimeout limit for the response headers (and, when streaming, the first event)
 * @param idleTimeout limit for silence between bytes once the response has started
 * @param tls a private CA and/or client certificate (mTLS) for this provider; null for defaults
 */
public record ProviderConfig(
    String name,
    Protocol protocol,
    URI baseUrl,
    String apiVersion,
    Duration connectTimeout,
    Duration firstByteTimeout,
    Duration idleTimeout,
    List<ProviderKey> keys,
    KeyPoolPolicy keyPool,
    UpstreamTls tls) {

  /** A provider with the JDK's default trust and no client certificate. */
  public ProviderConfig(
      String name, Protocol protocol, URI baseUrl, String apiVersion, Duration connectTimeout,
      Duration firstByteTimeout, Duration idleTimeout, List<ProviderKey> keys, KeyPoolPolicy keyPool) {
    this(name, protocol, baseUrl, apiVersion, connectTimeout, firstByteTimeout, idleTimeout, keys, keyPool, null);
  }

  public ProviderConfig {
    if (tls != null && !"https".equals(baseUrl.getScheme())) {
      throw new IllegalArgumentException("tls needs an https base_url");
    }
    keys = List.copyOf(keys);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a provider needs at least one key");
    }
    if (protocol == Protocol.AZURE_OPENAI && (apiVersion == null || apiVersion.isBlank())) {
      throw new IllegalArgumentException("azure-openai needs api_version");
    }
  }
}
