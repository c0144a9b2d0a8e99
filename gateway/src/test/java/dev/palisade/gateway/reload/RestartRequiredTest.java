package dev.palisade.gateway.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.gateway.config.AdminConfig;
import dev.palisade.gateway.config.AuthConfig;
import dev.palisade.gateway.config.DisconnectPolicy;
import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.config.LifecycleConfig;
import dev.palisade.gateway.config.ServerConfig;
import dev.palisade.gateway.config.StateConfig;
import dev.palisade.gateway.limits.RequestLimits;
import dev.palisade.gateway.secrets.Redactor;
import dev.palisade.gateway.secrets.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestartRequiredTest {

  static GatewayConfig config(int port, long maxBody, AdminConfig admin, Duration drain) {
    return config(port, maxBody, admin, drain, StateConfig.MEMORY);
  }

  static GatewayConfig config(int port, long maxBody, AdminConfig admin, Duration drain, StateConfig state) {
    return new GatewayConfig(new ServerConfig("127.0.0.1", port, 2, DisconnectPolicy.CANCEL, 1024, maxBody),
        List.of(), List.of(), List.of(), admin,
        new LifecycleConfig(drain, true, Duration.ofSeconds(1), Duration.ofMillis(500)), state,
        AuthConfig.KEYS_ONLY, RequestLimits.DEFAULT.withMaxBodyBytes(maxBody));
  }

  @Test
  void listenersNeedARestartWhileLimitsAndDrainDoNot() {
    AdminConfig admin = new AdminConfig("127.0.0.1", 9090, List.of(), Path.of("a.jsonl"));
    GatewayConfig base = config(8080, 1024, admin, Duration.ofSeconds(25));
    assertEquals(List.of(), RestartRequired.between(base, config(8080, 4096, admin, Duration.ofSeconds(5))));
    assertEquals(List.of("server.port", "admin.port"), RestartRequired.between(base,
        config(8081, 1024, new AdminConfig("127.0.0.1", 9091, List.of(), Path.of("a.jsonl")), Duration.ofSeconds(25))));
    assertEquals(List.of("admin"), RestartRequired.between(base, config(8080, 1024, null, Duration.ofSeconds(25))));
  }

  @Test
  void aDifferentStateStoreNeedsARestart() {
    GatewayConfig memory = config(8080, 1024, null, Duration.ofSeconds(25));
    StateConfig redis = new StateConfig(Optional.of(URI.create("redis://127.0.0.1:6379")), Optional.empty(),
        StateConfig.MEMORY.keyPrefix(), StateConfig.MEMORY.onUnavailable());
    assertEquals(List.of("state"),
        RestartRequired.between(memory, config(8080, 1024, null, Duration.ofSeconds(25), redis)));
    assertEquals(List.of(), RestartRequired.between(
        config(8080, 1024, null, Duration.ofSeconds(25), redis), config(8080, 1024, null, Duration.ofSeconds(25), redis)));
  }

  @Test
  void refusedConfigErrorsAreRedacted() {
    Redactor known = new Redactor(List.of(new Secret("sk-known-provider-key-000000")));
    String out = ErrorRedaction.redact(
        "f.yaml:3: x: got 'sk-known-provider-key-000000' and 'abcdefghijklmnopqrstuvwxyz' but 'openai'", known);
    assertFalse(out.contains("sk-known"), out);
    assertFalse(out.contains("abcdefghijklmnop"), out);
    assertTrue(out.contains("'openai'") && out.contains("f.yaml:3: x:"), out);
  }
}
