package dev.palisade.gateway.routing;

import dev.palisade.gateway.config.RouteConfig;
import dev.palisade.gateway.config.TargetConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/** A configured route with its weighted rollout and fallback chain. */
public final class Route {

  private final RouteConfig config;
  private final int totalWeight;

  Route(RouteConfig config) {
    this.config = config;
    this.totalWeight = config.targets().stream().mapToInt(TargetConfig::weight).sum();
  }

  public ModelPattern match() {
    return config.match();
  }

  /** The metrics label of this route: its pattern text, bounded by the config. */
  public String label() {
    return config.match().text();
  }

  /**
   * The order in which to try targets for one request: the weighted pick first, then the
   * fallbacks in their configured order. With {@code sticky}, the pick is a hash of the consumer
   * and the route, so one consumer keeps seeing the same model while the weights stay put.
   */
  public List<Target> plan(String requestedModel, String consumer) {
    int point =
        config.sticky()
            ? (int) (stableHash(consumer + "\u0000" + label()) % totalWeight)
            : ThreadLocalRandom.current().nextInt(totalWeight);
    TargetConfig chosen = null;
    for (TargetConfig t : config.targets()) {
      point -= t.weight();
      if (point < 0) {
        chosen = t;
        break;
      }
    }
    List<Target> plan = new ArrayList<>(1 + config.fallbacks().size());
    plan.add(toTarget(chosen, requestedModel));
    for (TargetConfig f : config.fallbacks()) {
      plan.add(toTarget(f, requestedModel));
    }
    return plan;
  }

  private static Target toTarget(TargetConfig t, String requestedModel) {
    return t.model() == null
        ? new Target(t.provider(), requestedModel, "*")
        : new Target(t.provider(), t.model(), t.model());
  }

  private static long stableHash(String s) {
    CRC32 crc = new CRC32();
    crc.update(s.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
