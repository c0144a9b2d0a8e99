package dev.palisade.gateway.secrets;

import java.util.Objects;

/**
 * A provider key in memory. {@link #toString()} never shows the value, so a secret that ends up
 * in a log line, an exception message or a debugger's variable view stays hidden; only
 * {@link #reveal()} (called where the key goes into an upstream header) gives it out.
 */
public final class Secret {

  private final String value;

  public Secret(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("a secret must not be blank");
    }
    this.value = value;
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "[REDACTED]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
