package dev.palisade.gateway.server;

import dev.palisade.gateway.auth.ConsumerAuthenticator;
import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.config.ProviderConfig;
import dev.palisade.gateway.config.ProviderKey;
import dev.palisade.gateway.consumer.ConsumerRegistry;
import dev.palisade.gateway.consumer.ConsumerStore;
import dev.palisade.gateway.consumer.InMemoryConsumerStore;
import dev.palisade.gateway.keypool.KeyPool;
import dev.palisade.gateway.keypool.KeyState;
import dev.palisade.gateway.keypool.KeyStateStore;
import dev.palisade.gateway.keypool.KeyStatus;
import dev.palisade.gateway.limits.RequestGuard;
import dev.palisade.gateway.metrics.Gauge;
import dev.palisade.gateway.metrics.GatewayMetrics;
import dev.palisade.gateway.provider.ProviderAdapter;
import dev.palisade.gateway.provider.anthropic.AnthropicAdapter;
import dev.palisade.gateway.provider.openai.OpenAiAdapter;
import dev.palisade.gateway.quota.QuotaStore;
import dev.palisade.gateway.routing.RouteTable;
import dev.palisade.gateway.secrets.Redactor;
import dev.palisade.gateway.tls.TlsOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Everything the request handlers share: routes, consumers, providers, stores and metrics.
 *
 * <p>One runtime per config generation: a reload builds the next one with {@link #next} over the
 * same stores and metrics, and a request keeps the runtime it started with until it ends.
 */
public final class GatewayRuntime {

  private static final Logger LOG = Logger.getLogger("dev.palisade.gateway.keypool");

  final GatewayConfig config;
  final RouteTable routes;
  final ConsumerRegistry consumers;
  final ConsumerAuthenticator authenticator;
  final RequestGuard guard;
  final Map<String, Provider> providers = new LinkedHashMap<>();
  final ConsumerStore consumerStore;
  final QuotaStore quotas;
  final KeyStateStore keyStates;
  final GatewayMetrics metrics;
  final Redactor redactor;
  final Clock clock;

  /** A runtime whose consumers are exactly the config's, in a store of their own. */
  public GatewayRuntime(
      GatewayConfig config, QuotaStore quotas, KeyStateStore keyStates, GatewayMetrics metrics, Clock clock) {
    this(config, quotas, keyStates, InMemoryConsumerStore.seededWith(config.consumers()), metrics, clock);
  }

  /** A runtime over a consumer store that the caller has seeded (and that may change at runtime). */
  public GatewayRuntime(
      GatewayConfig config, QuotaStore quotas, KeyStateStore keyStates, ConsumerStore consumerStore,
      GatewayMetrics metrics, Clock clock) {
    this.config = config;
    this.routes = new RouteTable(config.routes());
    this.consumerStore = consumerStore;
    this.consumers = new ConsumerRegistry(consumerStore);
    this.keyStates = keyStates;
    // Gateway keys are looked up in the store (admin-made keys included); JWT claims and client
    // certificates map to the config's consumers, which the admin API cannot change.
    this.authenticator = new ConsumerAuthenticator(config.auth(), consumers, config.consumers(), clock);
    this.guard = new RequestGuard(config.limits());
    this.quotas = quotas;
    this.metrics = metrics;
    this.clock = clock;
    List<dev.palisade.gateway.secrets.Secret> secrets = new ArrayList<>();
    for (ProviderConfig p : config.providers()) {
      p.keys().forEach(k -> secrets.add(k.value()));
      KeyPool pool = new KeyPool(p.name(), p.keys(), p.keyPool(), keyStates, this::keyChanged, clock);
      providers.put(p.name(), new Provider(p, adapter(p), pool, p.tls() == null ? null : TlsOptions.upstream(p.tls())));
    }
    this.redactor = new Redactor(secrets);
    metrics.gauge(
        "gateway_key_status",
        "1 for the current status of each provider key (by key id), 0 for the others.",
        List.of("provider", "key_id", "status"),
        out -> {
          for (Provider p : providers.values()) {
            for (ProviderKey k : p.pool().keys()) {
              KeyStatus current = p.pool().status(k.id());
              for (KeyStatus s : KeyStatus.values()) {
                out.accept(new Gauge.Sample(
                    List.of(p.name(), k.id(), s.name().toLowerCase(Locale.ROOT)), s == current ? 1 : 0));
              }
            }
          }
        });
  }

  /** The runtime for {@code next}, sharing this one's stores (quotas, key states, consumers) and metrics. */
  public GatewayRuntime next(GatewayConfig next) {
    return new GatewayRuntime(next, quotas, keyStates, consumerStore, metrics, clock);
  }

  public GatewayConfig config() {
    return config;
  }

  public ConsumerStore consumerStore() {
    return consumerStore;
  }

  public KeyStateStore keyStates() {
    return keyStates;
  }

  public Redactor redactor() {
    return redactor;
  }

  /** The configured providers' key pools, in config order. */
  public List<KeyPool> keyPools() {
    return providers.values().stream().map(Provider::pool).toList();
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  public QuotaStore quotas() {
    return quotas;
  }

  public KeyPool keyPool(String provider) {
    return providers.get(provider).pool();
  }

  private static ProviderAdapter adapter(ProviderConfig p) {
    return switch (p.protocol()) {
      case OPENAI, AZURE_OPENAI -> new OpenAiAdapter(p);
      case ANTHROPIC -> new AnthropicAdapter(p);
    };
  }

  private void keyChanged(String provider, String keyId, KeyState before, KeyState after) {
    metrics.keyStateChanges.inc(provider, keyId, after.status().name().toLowerCase(Locale.ROOT));
    String until = after.status() == KeyStatus.AVAILABLE ? ""
        : after.until().equals(java.time.Instant.MAX) ? " until a probe succeeds" : " until " + after.until();
    LOG.info(
        () -> "key pool: provider=" + provider + " key_id=" + keyId + " " + before.status() + " -> "
            + after.status() + (after.reason().isEmpty() ? "" : " (" + after.reason() + ")") + until);
  }
}
