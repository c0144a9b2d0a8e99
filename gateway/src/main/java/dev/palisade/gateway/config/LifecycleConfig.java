package dev.palisade.gateway.config;

import java.time.Duration;

/**
 * Reload and shutdown behaviour.
 *
 * @param drainTimeout how long a shutdown lets requests and streams in flight finish before the
 *     rest are ended with an error event; keep Kubernetes' terminationGracePeriodSeconds above it
 * @param watchConfig poll the config file and reload it when its content changes
 * @param pollInterval how often the file is read and hashed
 * @param debounce how long a changed content must stay the same before it is applied, so a file
 *     written in several steps is not loaded half-written
 */
public record LifecycleConfig(
    Duration drainTimeout, boolean watchConfig, Duration pollInterval, Duration debounce) {

  public static final LifecycleConfig DEFAULT =
      new LifecycleConfig(Duration.ofSeconds(25), true, Duration.ofSeconds(1), Duration.ofMillis(500));

  public LifecycleConfig {
    if (drainTimeout.isNegative() || pollInterval.toMillis() < 50 || debounce.isNegative()) {
      throw new IllegalArgumentException(
          "drain_timeout and debounce must not be negative, poll_interval at least 50ms");
    }
  }
}
