package dev.palisade.gateway.secrets;

import static dev.palisade.gateway.testing.GatewayHarness.HASH_A;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.gateway.config.SecretResolver;
import dev.palisade.gateway.testing.FakeProvider;
import dev.palisade.gateway.testing.GatewayHarness;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Encrypted provider keys work, and no key shows in error bodies, logs or metrics. */
class RedactionIT {

  static final String MAIN_KEY = "sk-proj-MAINsecretVALUE0001";
  static final String BACKUP_KEY = "sk-proj-BACKUPsecretVALUE02";

  final List<String> logs = new CopyOnWriteArrayList<>();
  final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      logs.add(r.getLoggerName() + " " + r.getMessage() + " " + (r.getThrown() == null ? "" : r.getThrown()));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  FakeProvider main;
  FakeProvider backup;
  GatewayHarness gateway;

  @BeforeEach
  void start() throws Exception {
    Logger.getLogger("").addHandler(capture);
    Logger.getLogger("").setLevel(Level.ALL);
    main = FakeProvider.start("main");
    backup = FakeProvider.start("backup");
    MasterKeyRing ring = MasterKeyRing.parse(MasterKeyRing.generate("k1"), "test");
    SecretCipher cipher = new SecretCipher(ring);
    gateway = GatewayHarness.start("""
        server: {host: 127.0.0.1, port: 0, event_loops: 1}
        providers:
          - name: main
            protocol: openai
            base_url: %s
            keys: [{id: m1, value: "%s"}]
            key_pool: {probe_interval: 50ms}
          - name: backup
            protocol: openai
            base_url: %s
            keys: [{id: b1, value: "%s"}]
        routes:
          - match: m
            targets: [{provider: main}]
            fallbacks: [{provider: backup}]
        consumers:
          - {name: team-a, key_sha256: %s, models: ["*"]}
        """.formatted(main.baseUrl(), cipher.encrypt(MAIN_KEY), backup.baseUrl(), cipher.encrypt(BACKUP_KEY), HASH_A),
        new SecretResolver(Optional.of(ring), false));
  }

  @AfterEach
  void stop() {
    gateway.close();
    main.close();
    backup.close();
    Logger.getLogger("").removeHandler(capture);
    Logger.getLogger("").setLevel(Level.INFO);
  }

  @Test
  void decryptedKeysReachTheProviderAndNoKeyLeaksBack() throws Exception {
    main.respond(r -> new FakeProvider.Error(401, "Incorrect API key provided: " + r.apiKey()
        + ". Find your key at https://platform.openai.com/account/api-keys?key=" + r.apiKey(), null));
    backup.respond(r -> new FakeProvider.Error(400, "Invalid request made with key " + r.apiKey(), null));
    HttpResponse<String> r = gateway.post("/v1/chat/completions", KEY_A,
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertEquals(MAIN_KEY, main.received("/v1/chat/completions").get(0).apiKey(), "decrypted key used upstream");
    assertEquals(BACKUP_KEY, backup.received("/v1/chat/completions").get(0).apiKey());
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("Invalid request made with key [REDACTED]"), r.body());
    // Let the prober run a few times with the main key (it keeps failing with the key echoed).
    long deadline = System.currentTimeMillis() + 5000;
    while (main.received("/v1/models").size() < 3 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(main.received("/v1/models").size() >= 3, "probes ran");
    String metrics = gateway.get("/metrics", null).body();
    for (String key : List.of(MAIN_KEY, BACKUP_KEY)) {
      assertFalse(r.body().contains(key), "error body");
      assertFalse(metrics.contains(key), "metrics");
      for (String line : logs) {
        assertFalse(line.contains(key), "log line: " + line);
      }
    }
    assertTrue(logs.stream().anyMatch(l -> l.contains("key_id=m1") && l.contains("BLOCKED")),
        "key state changes are logged by key id: " + logs);
  }
}
