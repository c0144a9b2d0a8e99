package dev.palisade.gateway.consumer;

import dev.palisade.gateway.config.ConsumerConfig;
import java.util.List;
import java.util.Optional;

/**
 * Finds the consumer for a presented key by its hash. Looking up by hash means the comparison
 * never touches the stored value byte by byte, so there is no timing signal to exploit.
 */
public final class ConsumerRegistry {

  private final ConsumerStore store;

  public ConsumerRegistry(List<ConsumerConfig> consumers) {
    this(InMemoryConsumerStore.seededWith(consumers));
  }

  /** Looks keys up in the store's local view, so consumers can change at runtime. */
  public ConsumerRegistry(ConsumerStore store) {
    this.store = store;
  }

  /** The consumer for an {@code Authorization} header value, if it holds a known bearer key. */
  public Optional<ConsumerConfig> authenticate(String authorizationHeader) {
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String key = authorizationHeader.substring(7).strip();
    if (key.isEmpty()) {
      return Optional.empty();
    }
    return store.byKeyHash(ConsumerKeys.sha256Hex(key));
  }
}
