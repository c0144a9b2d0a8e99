package dev.palisade.gateway.quota;

import io.vertx.core.Future;

/**
 * Quota and rate-limit accounting. A request first reserves its estimated tokens (and counts
 * itself against the request rate); the check and the reservation are one atomic step, so
 * concurrent requests cannot all pass a check and then overspend together. Afterwards it settles
 * with the real usage, releasing the reservation. Asynchronous so that a shared store (Redis,
 * issue 8) can implement it with atomic scripts.
 */
public interface QuotaStore {

  Future<Decision> reserve(String consumer, Limits limits, long estimatedTokens);

  /** Replaces the reservation with the tokens really used. Call exactly once per grant. */
  Future<Void> settle(Reservation reservation, long actualTokens);

  /** Tokens counted for the consumer in the current day window (used + reserved), for tests/ops. */
  Future<Usage> usage(String consumer);

  record Usage(long usedToday, long reservedToday, long usedThisMonth) {}

  sealed interface Decision {}

  /**
   * Granted; hold on to it to settle.
   *
   * @param id names the reservation in a shared store (where it expires if never settled);
   *     empty for stores that need none
   */
  record Reservation(
      String consumer, long tokens, String day, String month, String minute, String id)
      implements Decision {

    public Reservation(String consumer, long tokens, String day, String month, String minute) {
      this(consumer, tokens, day, month, minute, "");
    }

    public Reservation {
      java.util.Objects.requireNonNull(id, "id");
    }
  }

  /**
   * Refused.
   *
   * @param limit the config name of the exhausted limit, e.g. {@code tokens_per_day}
   * @param retryAfterSeconds when the window that refused resets
   */
  record Denied(String limit, long retryAfterSeconds) implements Decision {}
}
