package dev.palisade.gateway.quota;

/**
 * A consumer's quotas and rate limits; {@link #UNLIMITED} where none is set. Token quotas count
 * input plus output tokens.
 */
public record Limits(
    long tokensPerDay, long tokensPerMonth, long requestsPerMinute, long tokensPerMinute) {

  public static final long UNLIMITED = Long.MAX_VALUE;
  public static final Limits NONE = new Limits(UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED);

  public Limits {
    if (tokensPerDay < 0 || tokensPerMonth < 0 || requestsPerMinute < 0 || tokensPerMinute < 0) {
      throw new IllegalArgumentException("limits must not be negative");
    }
  }
}
