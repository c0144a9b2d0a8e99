package dev.palisade.gateway.consumer;

import dev.palisade.gateway.config.ConsumerConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds the consumer for a presented key by its hash. Looking up by hash means the comparison
 * never touches the stored value byte by byte, so there is no timing signal to exploit.
 */
public final class ConsumerRegistry {

  private final Map<String, ConsumerConfig> byHash;

  public ConsumerRegistry(List<ConsumerConfig> consumers) {
    this.byHash =
        consumers.stream()
            .filter(c -> c.keySha256() != null) // consumers that use only JWT or certificates
            .collect(Collectors.toUnmodifiableMap(ConsumerConfig::keySha256, Function.identity()));
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
    return Optional.ofNullable(byHash.get(ConsumerKeys.sha256Hex(key)));
  }
}
