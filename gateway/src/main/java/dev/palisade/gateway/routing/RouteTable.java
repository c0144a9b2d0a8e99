package dev.palisade.gateway.routing;

import dev.palisade.gateway.config.RouteConfig;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds the route for a model name: exact names first, then the longest prefix, then '*'. */
public final class RouteTable {

  private final Map<String, Route> exact = new HashMap<>();
  private final List<Route> wildcards;

  public RouteTable(List<RouteConfig> routes) {
    for (RouteConfig r : routes) {
      if (r.match().isExact()) {
        exact.put(r.match().text(), new Route(r));
      }
    }
    this.wildcards =
        routes.stream()
            .filter(r -> !r.match().isExact())
            .map(Route::new)
            .sorted(Comparator.comparingInt((Route r) -> r.match().specificity()).reversed())
            .toList();
  }

  public Optional<Route> resolve(String model) {
    Route r = exact.get(model);
    if (r != null) {
      return Optional.of(r);
    }
    for (Route w : wildcards) {
      if (w.match().matches(model)) {
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }

  /** Model names that can be listed: exact route names (wildcards name no model). */
  public List<String> exactModels() {
    return exact.keySet().stream().sorted().toList();
  }
}
