package dev.palisade.gateway.config;

import java.time.Duration;

/**
 * How a provider's key pool reacts to failures.
 *
 * @param cooldown how long a key rests after a 429 or 5xx without a Retry-After header
 * @param blockAfterFailures consecutive 429/5xx failures after which the key is blocked
 * @param blockDuration how long a key blocked for repeated failures rests before it is tried again
 * @param probeInterval how often a blocked key is probed (a cheap GET of the models list)
 */
public record KeyPoolPolicy(
    Duration cooldown, int blockAfterFailures, Duration blockDuration, Duration probeInterval) {

  public static final KeyPoolPolicy DEFAULT =
      new KeyPoolPolicy(Duration.ofSeconds(10), 3, Duration.ofMinutes(5), Duration.ofSeconds(30));

  public KeyPoolPolicy {
    if (cooldown.isNegative() || blockDuration.isNegative() || probeInterval.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (blockAfterFailures < 1) {
      throw new IllegalArgumentException("block_after_failures must be at least 1");
    }
  }
}
