package dev.palisade.gateway.config;

import dev.palisade.gateway.routing.ModelPattern;
import java.util.List;

/**
 * Requests for models matching {@code match} go to one of {@code targets} (chosen by weight,
 * sticky per consumer if asked), then down the ordered {@code fallbacks} on failures that happen
 * before the first byte reaches the client.
 */
public record RouteConfig(
    ModelPattern match, List<TargetConfig> targets, List<TargetConfig> fallbacks, boolean sticky) {
  public RouteConfig {
    targets = List.copyOf(targets);
    fallbacks = List.copyOf(fallbacks);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("a route needs at least one target");
    }
    if (targets.stream().mapToInt(TargetConfig::weight).sum() <= 0) {
      throw new IllegalArgumentException("the target weights must add up to more than 0");
    }
  }
}
