package dev.palisade.gateway.config;

import dev.palisade.gateway.secrets.Secret;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where quotas, rate-limit windows and key health live ({@code state:} in the config).
 *
 * @param redis {@code redis://HOST:PORT[/DB]} or {@code rediss://...}; empty for the in-memory
 *     store of a single instance. Never carries credentials (the loader refuses them).
 * @param password the Redis password, resolved like provider keys; empty if none
 * @param keyPrefix prepended to every Redis key and channel, so several gateways can share a Redis
 * @param onUnavailable what a request sees while Redis cannot be reached
 */
public record StateConfig(
    Optional<URI> redis, Optional<Secret> password, String keyPrefix, OnUnavailable onUnavailable) {

  public static final String DEFAULT_PREFIX = "palisade:";
  public static final StateConfig MEMORY =
      new StateConfig(Optional.empty(), Optional.empty(), DEFAULT_PREFIX, OnUnavailable.FAIL_CLOSED);

  public enum OnUnavailable {
    /** Requests that need the shared state are answered 503 until Redis is back. */
    FAIL_CLOSED,
    /** Requests are served from a local in-memory fallback until Redis is back. */
    FAIL_OPEN
  }

  public StateConfig {
    Objects.requireNonNull(redis, "redis");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(onUnavailable, "onUnavailable");
    if (redis.isPresent() && redis.get().getUserInfo() != null) {
      throw new IllegalArgumentException("the Redis URL must not carry credentials");
    }
  }

  /** {@code redis://host:port/db} as safe to log: it never holds a secret (see the constructor). */
  public String describe() {
    return redis.map(URI::toString).orElse("memory");
  }

  @Override
  public String toString() {
    return "StateConfig[" + describe() + ", password=" + (password.isPresent() ? "(set)" : "(none)")
        + ", keyPrefix=" + keyPrefix + ", onUnavailable=" + onUnavailable + "]";
  }
}
