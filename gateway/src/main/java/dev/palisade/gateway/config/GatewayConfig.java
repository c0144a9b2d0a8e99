package dev.palisade.gateway.config;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The whole validated configuration; {@code admin} is null when the admin API is off. */
public record GatewayConfig(
    ServerConfig server,
    List<ProviderConfig> providers,
    List<RouteConfig> routes,
    List<ConsumerConfig> consumers,
    AdminConfig admin,
    LifecycleConfig lifecycle,
    StateConfig state) {

  /**
   * A config without an admin API, with the default lifecycle and without a {@code state:}
   * section (the in-memory store of a single instance).
   */
  public GatewayConfig(
      ServerConfig server, List<ProviderConfig> providers, List<RouteConfig> routes,
      List<ConsumerConfig> consumers) {
    this(server, providers, routes, consumers, null, LifecycleConfig.DEFAULT, StateConfig.MEMORY);
  }

  public GatewayConfig {
    if (lifecycle == null) {
      throw new IllegalArgumentException("lifecycle is required (LifecycleConfig.DEFAULT)");
    }
    java.util.Objects.requireNonNull(state, "state");
    providers = List.copyOf(providers);
    routes = List.copyOf(routes);
    consumers = List.copyOf(consumers);
  }

  public Map<String, ProviderConfig> providersByName() {
    return providers.stream()
        .collect(Collectors.toUnmodifiableMap(ProviderConfig::name, Function.identity()));
  }
}
