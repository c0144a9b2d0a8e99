package dev.palisade.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.gateway.config.RouteConfig;
import dev.palisade.gateway.config.TargetConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  static RouteConfig route(String match, List<TargetConfig> targets, boolean sticky) {
    return new RouteConfig(new ModelPattern(match), targets, List.of(new TargetConfig("backup", "b", 1)), sticky);
  }

  final RouteTable table = new RouteTable(List.of(
      route("*", List.of(new TargetConfig("any", null, 1)), false),
      route("gpt-*", List.of(new TargetConfig("openai", null, 1)), false),
      route("gpt-4o*", List.of(new TargetConfig("openai-4o", null, 1)), false),
      route("gpt-4o", List.of(new TargetConfig("exact", "gpt-4o-2024-08-06", 1)), false)));

  @Test
  void exactBeatsLongerPrefixBeatsShorterPrefixBeatsCatchAll() {
    assertEquals("gpt-4o", table.resolve("gpt-4o").orElseThrow().label());
    assertEquals("gpt-4o*", table.resolve("gpt-4o-mini").orElseThrow().label());
    assertEquals("gpt-*", table.resolve("gpt-3.5-turbo").orElseThrow().label());
    assertEquals("*", table.resolve("llama").orElseThrow().label());
    assertEquals(List.of("gpt-4o"), table.exactModels());
  }

  @Test
  void renamedTargetsGetTheProviderNameAndPassThroughKeepsTheClients() {
    List<Target> plan = table.resolve("gpt-4o").orElseThrow().plan("gpt-4o", "c");
    assertEquals(new Target("exact", "gpt-4o-2024-08-06", "gpt-4o-2024-08-06"), plan.get(0));
    assertEquals(new Target("backup", "b", "b"), plan.get(1), "fallbacks follow in order");
    assertEquals(new Target("openai", "gpt-3.5-turbo", "*"), table.resolve("gpt-3.5-turbo").orElseThrow().plan("gpt-3.5-turbo", "c").get(0));
  }

  @Test
  void weightedSplitStaysWithinTolerance() {
    Route r = new RouteTable(List.of(route("m",
        List.of(new TargetConfig("a", "m-old", 90), new TargetConfig("b", "m-new", 10)), false))).resolve("m").orElseThrow();
    Map<String, Integer> counts = new HashMap<>();
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      counts.merge(r.plan("m", "c").get(0).provider(), 1, Integer::sum);
    }
    double shareB = counts.get("b") / (double) n;
    // 10% expected; 5 standard deviations of a binomial(20000, 0.1) is about 1.1%.
    assertTrue(Math.abs(shareB - 0.10) < 0.011, "share of b: " + shareB);
  }

  @Test
  void stickyRolloutKeepsEachConsumerOnOneTargetAndStillSplits() {
    Route r = new RouteTable(List.of(route("m",
        List.of(new TargetConfig("a", "m-old", 50), new TargetConfig("b", "m-new", 50)), true))).resolve("m").orElseThrow();
    Map<String, Integer> perTarget = new HashMap<>();
    for (int c = 0; c < 2000; c++) {
      String first = r.plan("m", "consumer-" + c).get(0).provider();
      for (int i = 0; i < 5; i++) {
        assertEquals(first, r.plan("m", "consumer-" + c).get(0).provider());
      }
      perTarget.merge(first, 1, Integer::sum);
    }
    assertTrue(perTarget.get("a") > 800 && perTarget.get("b") > 800, perTarget.toString());
  }
}
