package dev.palisade.gateway.config;

/**
 * A provider and the model name it gets. A null {@code model} passes the client's model name
 * through unchanged.
 */
public record TargetConfig(String provider, String model, int weight) {
  public TargetConfig {
    if (weight < 0) {
      throw new IllegalArgumentException("weight must not be negative");
    }
  }
}
