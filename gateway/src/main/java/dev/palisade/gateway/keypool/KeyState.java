package dev.palisade.gateway.keypool;

import java.time.Instant;
import java.util.Objects;

/**
 * @param until when a cooldown or block ends on its own; {@link Instant#MAX} for keys that only a
 *     successful probe can restore (401/403)
 * @param consecutiveFailures 429/5xx failures since the last success
 * @param reason why the key is not available, for logs ("429", "401", "5 consecutive failures")
 */
public record KeyState(KeyStatus status, Instant until, int consecutiveFailures, String reason) {

  public static final KeyState HEALTHY = new KeyState(KeyStatus.AVAILABLE, Instant.MIN, 0, "");

  public KeyState {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(until, "until");
    if (consecutiveFailures < 0) {
      throw new IllegalArgumentException("consecutiveFailures must not be negative");
    }
  }

  /** The status as of {@code now}: a cooldown or block that has run out counts as available. */
  public KeyStatus effectiveStatus(Instant now) {
    return status != KeyStatus.AVAILABLE && !now.isBefore(until) ? KeyStatus.AVAILABLE : status;
  }
}
