package dev.palisade.gateway.consumer;

import java.util.Optional;

/**
 * What a write did to one consumer. {@code before} is empty for a creation, {@code after} for a
 * deletion. A shared store delivers the changes other replicas made as well.
 */
public record ConsumerChange(String name, Optional<StoredConsumer> before, Optional<StoredConsumer> after) {

  public enum Kind { CREATED, UPDATED, DELETED }

  public Kind kind() {
    return before.isEmpty() ? Kind.CREATED : after.isEmpty() ? Kind.DELETED : Kind.UPDATED;
  }
}
