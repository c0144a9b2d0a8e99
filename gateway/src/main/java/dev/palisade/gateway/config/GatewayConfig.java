package dev.palisade.gateway.config;

import dev.palisade.gateway.limits.RequestLimits;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The whole validated configuration.
 *
 * @param auth how consumers authenticate ({@code auth:})
 * @param limits bounds on each request ({@code limits:})
 */
public record GatewayConfig(
    ServerConfig server,
    List<ProviderConfig> providers,
    List<RouteConfig> routes,
    List<ConsumerConfig> consumers,
    AuthConfig auth,
    RequestLimits limits) {

  /** Gateway keys only, default request limits (with the server's body limit). */
  public GatewayConfig(
      ServerConfig server, List<ProviderConfig> providers, List<RouteConfig> routes, List<ConsumerConfig> consumers) {
    this(server, providers, routes, consumers, AuthConfig.KEYS_ONLY,
        RequestLimits.DEFAULT.withMaxBodyBytes(server.maxBodyBytes()));
  }

  public GatewayConfig {
    java.util.Objects.requireNonNull(auth, "auth");
    java.util.Objects.requireNonNull(limits, "limits");
    providers = List.copyOf(providers);
    routes = List.copyOf(routes);
    consumers = List.copyOf(consumers);
  }

  public Map<String, ProviderConfig> providersByName() {
    return providers.stream()
        .collect(Collectors.toUnmodifiableMap(ProviderConfig::name, Function.identity()));
  }
}
