package dev.palisade.gateway.config;

import dev.palisade.gateway.limits.RequestLimits;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The whole validated configuration.
 *
 * @param admin the admin API, or null when it is off
 * @param state where quotas and key health live ({@code state:})
 * @param auth how consumers authenticate ({@code auth:})
 * @param limits bounds on each request ({@code limits:})
 */
public record GatewayConfig(
    ServerConfig server,
    List<ProviderConfig> providers,
    List<RouteConfig> routes,
    List<ConsumerConfig> consumers,
    AdminConfig admin,
    LifecycleConfig lifecycle,
    StateConfig state,
    AuthConfig auth,
    RequestLimits limits) {

  /**
   * A config without an admin API, with the default lifecycle, the in-memory state store,
   * gateway keys only and default request limits (with the server's body limit).
   */
  public GatewayConfig(
      ServerConfig server, List<ProviderConfig> providers, List<RouteConfig> routes,
      List<ConsumerConfig> consumers) {
    this(server, providers, routes, consumers, null, LifecycleConfig.DEFAULT, StateConfig.MEMORY,
        AuthConfig.KEYS_ONLY, RequestLimits.DEFAULT.withMaxBodyBytes(server.maxBodyBytes()));
  }

  public GatewayConfig {
    if (lifecycle == null) {
      throw new IllegalArgumentException("lifecycle is required (LifecycleConfig.DEFAULT)");
    }
    java.util.Objects.requireNonNull(state, "state");
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
