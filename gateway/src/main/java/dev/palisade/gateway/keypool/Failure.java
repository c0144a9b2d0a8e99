package dev.palisade.gateway.keypool;

import java.time.Duration;

/** What went wrong with a call made with a key. */
public sealed interface Failure {

  /** 401 or 403: the provider refuses the key itself. */
  record Rejected(int status) implements Failure {}

  /** 429: slow down, for {@code retryAfter} if the provider said (null if it did not). */
  record RateLimited(Duration retryAfter) implements Failure {}

  /** 5xx, a timeout or a connection error. */
  record Unhealthy(String what, Duration retryAfter) implements Failure {}
}
