package dev.palisade.gateway.config;

/**
 * Where and how the gateway listens.
 *
 * @param tls TLS termination on the port; null for plain HTTP
 * @param completionTokenReserve output tokens reserved against quotas when a request sets no
 *     {@code max_tokens}; the real usage is settled afterwards.
 */
public record ServerConfig(
    String host,
    int port,
    int eventLoops,
    DisconnectPolicy disconnectPolicy,
    long completionTokenReserve,
    long maxBodyBytes,
    ServerTls tls) {

  /** Plain HTTP (no {@code server.tls}). */
  public ServerConfig(
      String host, int port, int eventLoops, DisconnectPolicy disconnectPolicy,
      long completionTokenReserve, long maxBodyBytes) {
    this(host, port, eventLoops, disconnectPolicy, completionTokenReserve, maxBodyBytes, null);
  }

  public ServerConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (eventLoops < 1) {
      throw new IllegalArgumentException("event_loops must be at least 1");
    }
  }
}
