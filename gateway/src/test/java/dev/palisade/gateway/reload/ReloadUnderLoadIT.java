package dev.palisade.gateway.reload;

import static dev.palisade.gateway.testing.GatewayHarness.HASH_A;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.gateway.admin.AdminTokens;
import dev.palisade.gateway.config.SecretResolver;
import dev.palisade.gateway.secrets.MasterKeyRing;
import dev.palisade.gateway.secrets.SecretCipher;
import dev.palisade.gateway.testing.FakeProvider;
import dev.palisade.gateway.testing.ServiceHarness;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Reloads while requests keep coming, with encrypted provider keys as in production. */
class ReloadUnderLoadIT {

  static final ObjectMapper JSON = new ObjectMapper();

  static String config(String url, String model, String encryptedKey) {
    return """
        server: {host: 127.0.0.1, port: 0, event_loops: 2}
        admin: {port: 0, audit_log: "%%DIR%%/audit.jsonl"}
        lifecycle: {watch_config: false}
        providers:
          - {name: up, protocol: openai, base_url: %s, keys: [{id: k1, value: "%s"}]}
        routes:
          - {match: "*", targets: [{provider: up, model: %s}]}
        consumers:
          - {name: team-a, key_sha256: %s, models: ["*"]}
        """.formatted(url, encryptedKey, model, HASH_A);
  }

  @Test
  void noRequestFailsAcrossRepeatedReloadsAndAKeyThatDoesNotDecryptIsRefused() throws Exception {
    String ring = MasterKeyRing.generate("k1");
    SecretCipher cipher = new SecretCipher(MasterKeyRing.parse(ring, "test"));
    String key = cipher.encrypt("sk-under-load-provider-key-01");
    SecretResolver secrets = new SecretResolver(Optional.of(MasterKeyRing.parse(ring, "test")), false);
    try (FakeProvider upstream = FakeProvider.start("load");
        ServiceHarness gw = ServiceHarness.start(config(upstream.baseUrl(), "m0", key),
            List.of(AdminTokens.hashed("env", ServiceHarness.ADMIN_TOKEN)), secrets)) {
      AtomicBoolean stop = new AtomicBoolean();
      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      ExecutorService clients = Executors.newFixedThreadPool(4);
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        running.add(clients.submit(() -> {
          while (!stop.get()) {
            HttpResponse<String> r = gw.chat(KEY_A, "gpt-4o", false);
            statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
          }
        }));
      }
      List<Long> reloadMillis = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        gw.rewrite(config(upstream.baseUrl(), "m" + i, key));
        long t0 = System.nanoTime();
        HttpResponse<String> r = gw.admin("POST", "/admin/reload", null);
        reloadMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("applied", JSON.readTree(r.body()).path("result").asText(), r.body());
        Thread.sleep(20);
      }
      stop.set(true);
      for (Future<?> f : running) {
        f.get(30, TimeUnit.SECONDS);
      }
      clients.shutdown();
      assertEquals(List.of(200), List.copyOf(statuses.keySet()), "statuses during reloads: " + statuses);
      assertTrue(statuses.get(200).get() > 40, "requests during reloads: " + statuses);
      assertEquals("m20", JSON.readTree(gw.chat(KEY_A, "gpt-4o", false).body()).path("model").asText());
      System.out.println("ReloadUnderLoadIT: " + statuses.get(200).get() + " requests, all 200, during 20 reloads;"
          + " admin reload round trip ms (sorted): " + reloadMillis.stream().sorted().toList());

      // Encrypted with another master key: decryption is part of the validation, so it is refused.
      String foreign = new SecretCipher(MasterKeyRing.parse(MasterKeyRing.generate("k1"), "other"))
          .encrypt("sk-under-load-provider-key-02");
      gw.rewrite(config(upstream.baseUrl(), "m21", foreign));
      HttpResponse<String> refused = gw.admin("POST", "/admin/reload", null);
      assertEquals(422, refused.statusCode(), refused.body());
      String error = JSON.readTree(refused.body()).path("error").asText();
      assertTrue(error.contains("providers[0].keys[0].value"), error);
      assertFalse(refused.body().contains("sk-under-load"), refused.body());
      assertEquals("m20", JSON.readTree(gw.chat(KEY_A, "gpt-4o", false).body()).path("model").asText());
    }
  }
}
