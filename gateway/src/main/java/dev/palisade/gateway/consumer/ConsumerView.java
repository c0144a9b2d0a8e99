package dev.palisade.gateway.consumer;

import dev.palisade.gateway.config.ConsumerConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The consumers a store serves at one instant, by name and by key SHA-256; immutable, so the
 * request path reads it without locking while writers publish the next one.
 */
record ConsumerView(Map<String, StoredConsumer> byName, Map<String, StoredConsumer> byHash) {

  static final ConsumerView EMPTY = new ConsumerView(Map.of(), Map.of());

  ConsumerView {
    byName = Map.copyOf(byName);
    byHash = Map.copyOf(byHash);
  }

  Optional<ConsumerConfig> byKeyHash(String keySha256) {
    StoredConsumer c = byHash.get(keySha256);
    return c == null ? Optional.empty() : Optional.of(c.asConfig(keySha256));
  }

  Optional<StoredConsumer> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Sorted by name. */
  List<StoredConsumer> list() {
    return List.copyOf(new TreeMap<>(byName).values());
  }
}
