package dev.palisade.gateway.state;

import dev.palisade.gateway.config.StateConfig;
import dev.palisade.gateway.consumer.ConsumerStore;
import dev.palisade.gateway.consumer.InMemoryConsumerStore;
import dev.palisade.gateway.consumer.RedisConsumerStore;
import dev.palisade.gateway.keypool.InMemoryKeyStateStore;
import dev.palisade.gateway.keypool.KeyStateStore;
import dev.palisade.gateway.keypool.RedisKeyStateStore;
import dev.palisade.gateway.metrics.Gauge;
import dev.palisade.gateway.metrics.GatewayMetrics;
import dev.palisade.gateway.quota.FailoverQuotaStore;
import dev.palisade.gateway.quota.InMemoryQuotaStore;
import dev.palisade.gateway.quota.LeasedQuotaStore;
import dev.palisade.gateway.quota.QuotaStore;
import dev.palisade.gateway.quota.RedisQuotaStore;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Builds the quota, key-state and consumer stores that {@code state:} asks for, once per process. They
 * outlive a config reload: a rebuilt {@code GatewayRuntime} is handed the same instances (and
 * so the same Redis connections). Redis I/O runs on a small Vert.x instance of its own, so the
 * stores do not depend on the lifetime of the gateway's server.
 */
public final class StateStores implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger("dev.palisade.gateway.state");

  /**
   * @param timeout deadline of every Redis call (and of connecting)
   * @param healthCheck how often a Redis that is down is pinged, to notice it is back
   * @param resync how often the key-state mirror and the consumer view re-read Redis (covers
   *     missed messages; the bound on how late a replica sees another's change)
   * @param lease how long an unsettled reservation (or a replica's leased block) holds quota
   *     before it is given back
   * @param quotaLease the blocks a replica leases quota in (see {@link LeasedQuotaStore})
   */
  public record Tuning(Duration timeout, Duration healthCheck, Duration resync, Duration lease,
      LeasedQuotaStore.Settings quotaLease) {
    public static final Tuning DEFAULT =
        new Tuning(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(15));

    public Tuning(Duration timeout, Duration healthCheck, Duration resync, Duration lease) {
      this(timeout, healthCheck, resync, lease, LeasedQuotaStore.Settings.DEFAULT);
    }

    public Tuning {
      java.util.Objects.requireNonNull(quotaLease, "quotaLease");
      for (Duration d : List.of(timeout, healthCheck, resync, lease)) {
        if (d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("durations must be positive");
        }
      }
    }
  }

  private final StateConfig config;
  private final QuotaStore quotas;
  private final LeasedQuotaStore leased;
  private final KeyStateStore keyStates;
  private final ConsumerStore consumers;
  private final Vertx vertx;
  private final RedisLink link;
  private final Set<GatewayMetrics> bound = Collections.newSetFromMap(new WeakHashMap<>());

  private StateStores(StateConfig config, QuotaStore quotas, LeasedQuotaStore leased,
      KeyStateStore keyStates, ConsumerStore consumers, Vertx vertx, RedisLink link) {
    this.config = config;
    this.quotas = quotas;
    this.leased = leased;
    this.keyStates = keyStates;
    this.consumers = consumers;
    this.vertx = vertx;
    this.link = link;
  }

  public static StateStores open(StateConfig config, Clock clock) {
    return open(config, clock, Tuning.DEFAULT);
  }

  /**
   * Never fails because Redis is down: the stores start degraded (as {@code on_unavailable}
   * says) and recover when Redis answers.
   */
  public static StateStores open(StateConfig config, Clock clock, Tuning tuning) {
    if (config.redis().isEmpty()) {
      return new StateStores(config, new InMemoryQuotaStore(clock), null, new InMemoryKeyStateStore(),
          new InMemoryConsumerStore(), null, null);
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1).setPreferNativeTransport(false));
    RedisLink link = RedisLink.open(vertx, config, tuning.timeout(), tuning.healthCheck());
    try {
      link.send(Request.cmd(Command.PING)).await(tuning.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warning(() -> "state store " + config.describe() + " is not reachable at start; serving "
          + (config.onUnavailable() == StateConfig.OnUnavailable.FAIL_OPEN
              ? "from local memory (fail_open)" : "503s (fail_closed)") + " until it is");
    }
    // Requests spend blocks leased ahead from Redis (no round trip per request, issue 8). The
    // leased store itself fails fast while Redis is down once its block is spent, so the
    // failover always asks it first: a replica keeps spending what it already leased.
    LeasedQuotaStore shared = new LeasedQuotaStore(
        new RedisQuotaStore(link, config.keyPrefix(), clock, tuning.lease()), link, clock,
        tuning.lease(), tuning.quotaLease(), link::isUp);
    QuotaStore quotas = new FailoverQuotaStore(
        shared, new InMemoryQuotaStore(clock), config.onUnavailable(), () -> true);
    KeyStateStore keys = new RedisKeyStateStore(link, config.keyPrefix(), clock, tuning.resync());
    RedisConsumerStore consumers = new RedisConsumerStore(link, config.keyPrefix(), tuning.resync());
    try {
      // A restarted replica should know the admin-made consumers before it serves.
      consumers.resync().await(tuning.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warning(() -> "consumer store: admin-made consumers not loaded from " + config.describe()
          + " at start; they are loaded when it answers");
    }
    LOG.info(() -> "state store: " + config.describe() + " (prefix '" + config.keyPrefix() + "', "
        + config.onUnavailable().name().toLowerCase(java.util.Locale.ROOT) + ")");
    return new StateStores(config, quotas, shared, keys, consumers, vertx, link);
  }

  public QuotaStore quotas() {
    return quotas;
  }

  public KeyStateStore keyStates() {
    return keyStates;
  }

  /**
   * Consumers: in memory, or admin-made ones shared through Redis (config ones stay local; see
   * {@link RedisConsumerStore}). Not seeded: the caller seeds it with the config's consumers.
   */
  public ConsumerStore consumers() {
    return consumers;
  }

  /** True for the in-memory store; for Redis, whether it answered the last call. */
  public boolean healthy() {
    return link == null || link.isUp();
  }

  /**
   * Exports {@code gateway_state_store_up} and {@code gateway_state_store_local_fallback} on
   * {@code metrics}; once per metrics instance, so a reload that builds new metrics can call it
   * again.
   */
  public synchronized void bindMetrics(GatewayMetrics metrics) {
    if (!bound.add(metrics)) {
      return;
    }
    String kind = link == null ? "memory" : "redis";
    metrics.gauge("gateway_state_store_up",
        "1 while the state store (quotas, rate limits, key health) answers, 0 while it is unavailable.",
        List.of("store"), out -> out.accept(new Gauge.Sample(List.of(kind), healthy() ? 1 : 0)));
    metrics.gauge("gateway_state_store_local_fallback",
        "1 while on_unavailable=fail_open serves quotas from this replica's memory instead of Redis.",
        List.of("store"), out -> out.accept(new Gauge.Sample(List.of(kind),
            quotas instanceof FailoverQuotaStore f && f.servingLocally() ? 1 : 0)));
  }

  /**
   * Closes the stores. Called after the drain: leased quota blocks are flushed first, so their
   * usage reaches Redis and their unused tokens are given back to the other replicas.
   */
  @Override
  public void close() {
    if (leased != null) {
      leased.close();
    }
    if (keyStates instanceof RedisKeyStateStore r) {
      r.close();
    }
    if (consumers instanceof RedisConsumerStore r) {
      r.close();
    }
    if (link != null) {
      link.close();
    }
    if (vertx != null) {
      try {
        vertx.close().await(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warning(() -> "state store did not close cleanly: " + e.getClass().getSimpleName());
      }
    }
  }

  @Override
  public String toString() {
    return "StateStores[" + config + "]";
  }
}
