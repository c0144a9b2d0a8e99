package dev.palisade.gateway.limits;

/** A request past one of the {@link RequestLimits}: the status, OpenAI-style code and message. */
public record LimitExceeded(int status, String code, String message) {
  public LimitExceeded {
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("a limit is a client error, got " + status);
    }
  }
}
