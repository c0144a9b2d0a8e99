package dev.palisade.oci.registry;

import java.time.Duration;

/**
 * How long to wait for a connection and for each read. A read timeout is what turns a registry that
 * stalls mid-blob into an error instead of a hang.
 */
public record RegistryTimeouts(Duration connect, Duration read) {

  public static final RegistryTimeouts DEFAULT =
      new RegistryTimeouts(Duration.ofSeconds(15), Duration.ofSeconds(60));

  public RegistryTimeouts {
    if (connect == null || read == null || connect.isNegative() || connect.isZero()
        || read.isNegative() || read.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }
}
