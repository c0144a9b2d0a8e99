package dev.palisade.gateway.routing;

import static dev.palisade.gateway.testing.GatewayHarness.HASH_A;
import static dev.palisade.gateway.testing.GatewayHarness.HASH_B;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_A;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.gateway.testing.FakeProvider;
import dev.palisade.gateway.testing.GatewayHarness;
import org.junit.jupiter.api.Test;

/** Weighted rollout end to end: the split seen by two real upstreams. */
class RolloutIT {

  static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  @Test
  void trafficIsSplitByWeightAndStickyRoutesPinConsumers() throws Exception {
    try (FakeProvider stable = FakeProvider.start("stable");
        FakeProvider canary = FakeProvider.start("canary");
        GatewayHarness gateway = GatewayHarness.start("""
            server: {host: 127.0.0.1, port: 0, event_loops: 2}
            providers:
              - {name: stable, protocol: openai, base_url: "%s", keys: [{id: s1, value: sk-stable}]}
              - {name: canary, protocol: openai, base_url: "%s", keys: [{id: c1, value: sk-canary}]}
            routes:
              - match: m
                targets:
                  - {provider: stable, model: m-v1, weight: 80}
                  - {provider: canary, model: m-v2, weight: 20}
              - match: pinned
                sticky: true
                targets:
                  - {provider: stable, model: m-v1, weight: 50}
                  - {provider: canary, model: m-v2, weight: 50}
            consumers:
              - {name: team-a, key_sha256: %s, models: ["*"]}
              - {name: team-b, key_sha256: %s, models: ["*"]}
            """.formatted(stable.baseUrl(), canary.baseUrl(), HASH_A, HASH_B))) {
      int n = 500;
      for (int i = 0; i < n; i++) {
        assertEquals(200, gateway.post("/v1/chat/completions", KEY_A, CHAT).statusCode());
      }
      long toCanary = canary.received("/v1/chat/completions").size();
      assertEquals(n, stable.received("/v1/chat/completions").size() + toCanary);
      // Expected 100; five standard deviations of binomial(500, 0.2) is about 45.
      assertTrue(Math.abs(toCanary - 100) < 45, "canary got " + toCanary + " of " + n);
      assertTrue(canary.received("/v1/chat/completions").stream()
          .allMatch(r -> r.body().path("model").asText().equals("m-v2")), "each side gets its own model name");

      for (String key : new String[] {KEY_A, KEY_B}) {
        String first = gateway.post("/v1/chat/completions", key, CHAT.replace("\"m\"", "\"pinned\"")).body();
        String side = first.contains("m-v1") ? "m-v1" : "m-v2";
        for (int i = 0; i < 20; i++) {
          assertTrue(gateway.post("/v1/chat/completions", key, CHAT.replace("\"m\"", "\"pinned\"")).body().contains(side),
              "a sticky route keeps a consumer on " + side);
        }
      }
    }
  }
}
