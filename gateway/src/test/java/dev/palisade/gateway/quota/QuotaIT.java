package dev.palisade.gateway.quota;

import static dev.palisade.gateway.testing.GatewayHarness.HASH_A;
import static dev.palisade.gateway.testing.GatewayHarness.HASH_B;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_A;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.gateway.testing.FakeProvider;
import dev.palisade.gateway.testing.GatewayHarness;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Quotas under concurrency, billing from provider usage, and the client-disconnect policy. */
class QuotaIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final long DAY_LIMIT = 1000;
  /** What the fake bills per request: 11 prompt tokens + 5 words of "Hello from main model m.". */
  static final long ACTUAL = FakeProvider.PROMPT_TOKENS + 5;

  FakeProvider upstream;
  GatewayHarness gateway;

  @BeforeEach
  void start() throws Exception {
    upstream = FakeProvider.start("main");
    gateway = GatewayHarness.start("""
        server: {host: 127.0.0.1, port: 0, event_loops: 2, disconnect_policy: cancel}
        providers:
          - name: main
            protocol: openai
            base_url: %s
            keys: [{id: a1, value: sk-main-one}]
        routes:
          - match: m
            targets: [{provider: main}]
        consumers:
          - name: limited
            key_sha256: %s
            models: ["*"]
            limits: {tokens_per_day: %d}
          - name: free
            key_sha256: %s
            models: ["*"]
        """.formatted(upstream.baseUrl(), HASH_A, DAY_LIMIT, HASH_B));
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
  }

  @Test
  void twoHundredConcurrentRequestsNeverOverspendTheQuota() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String body = "{\"model\":\"m\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(client.sendAsync(
          HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
              .timeout(Duration.ofSeconds(60))
              .header("authorization", "Bearer " + KEY_A)
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    int ok = 0;
    int refused = 0;
    for (CompletableFuture<HttpResponse<String>> c : calls) {
      HttpResponse<String> r = c.get();
      if (r.statusCode() == 200) {
        ok++;
      } else {
        assertEquals(429, r.statusCode(), r.body());
        assertEquals("insufficient_quota", JSON.readTree(r.body()).at("/error/code").asText());
        assertTrue(r.headers().firstValue("retry-after").isPresent());
        refused++;
      }
    }
    QuotaStore.Usage usage = gateway.runtime().quotas().usage("limited").toCompletionStage().toCompletableFuture().get();
    assertTrue(refused > 0, "200 requests must exceed a 1000-token quota");
    assertEquals(200, ok + refused);
    assertEquals(ok, upstream.received("/v1/chat/completions").size(), "only granted requests reach the provider");
    assertEquals(ok * ACTUAL, usage.usedToday(), "billed from the provider's usage");
    assertTrue(usage.usedToday() <= DAY_LIMIT, "overspent: " + usage.usedToday());
    assertEquals(0, usage.reservedToday(), "every reservation settled");
    // Reservations hold input estimate + max_tokens (about 28): at least that many fit.
    assertTrue(ok >= DAY_LIMIT / 40, "too few granted: " + ok);
  }

  @Test
  void streamsAreBilledFromTheUsageTheGatewayAskedFor() throws Exception {
    gateway.post("/v1/chat/completions", KEY_B,
        "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    QuotaStore.Usage usage = gateway.runtime().quotas().usage("free").toCompletionStage().toCompletableFuture().get();
    assertEquals(ACTUAL, usage.usedToday());
  }

  @Test
  void withoutProviderUsageTheGatewayEstimatesWithATokenizer() throws Exception {
    upstream.respond(r -> new FakeProvider.Ok("one two three four five six seven eight", false, 0));
    gateway.post("/v1/chat/completions", KEY_B,
        "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    QuotaStore.Usage usage = gateway.runtime().quotas().usage("free").toCompletionStage().toCompletableFuture().get();
    // 8 output tokens (o200k: one per word) plus the input estimate (3 + 4 framing + 1).
    assertEquals(8 + 8, usage.usedToday());
    assertTrue(gateway.get("/metrics", null).body().contains("gateway_usage_estimated_total{provider=\"main\"} 1"));
  }

  @Test
  void aClientThatLeavesMidStreamCancelsTheUpstreamAndIsBilledForWhatItGot() throws Exception {
    StringBuilder words = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      words.append("word").append(i).append(' ');
    }
    upstream.respond(r -> new FakeProvider.Ok(words.toString().strip(), true, 0));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<InputStream> r = client.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
            .header("authorization", "Bearer " + KEY_B)
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
            .build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    try (InputStream in = r.body()) {
      byte[] first = in.readNBytes(1500); // a few chunks, then hang up
      assertTrue(new String(first).contains("word2"), new String(first));
    }
    long deadline = System.currentTimeMillis() + 10_000;
    while (upstream.cancelledStreams() == 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(1, upstream.cancelledStreams(), "the gateway resets the upstream stream");
    String metrics = gateway.get("/metrics", null).body();
    assertTrue(metrics.contains("gateway_client_disconnects_total{policy=\"cancel\"} 1"), metrics);
    QuotaStore.Usage usage = gateway.runtime().quotas().usage("free").toCompletionStage().toCompletableFuture().get();
    assertTrue(usage.usedToday() > 8 && usage.usedToday() < 400, "billed input + partial output: " + usage.usedToday());
    assertEquals(0, usage.reservedToday());
  }

  @Test
  void withTheDrainPolicyTheGatewayReadsOnAndBillsTheProvidersUsage() throws Exception {
    FakeProvider drained = FakeProvider.start("drained");
    StringBuilder words = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      words.append("w").append(i).append(' ');
    }
    String text = words.toString().strip();
    drained.respond(r -> new FakeProvider.Ok(text, true, 0));
    try (GatewayHarness drain = GatewayHarness.start("""
        server: {host: 127.0.0.1, port: 0, event_loops: 1, disconnect_policy: drain}
        providers:
          - {name: main, protocol: openai, base_url: "%s", keys: [{id: a1, value: sk-main-one}]}
        routes:
          - {match: m, targets: [{provider: main}]}
        consumers:
          - {name: free, key_sha256: %s, models: ["*"]}
        """.formatted(drained.baseUrl(), HASH_B))) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<InputStream> r = client.send(
          HttpRequest.newBuilder(URI.create(drain.baseUrl() + "/v1/chat/completions"))
              .header("authorization", "Bearer " + KEY_B)
              .POST(HttpRequest.BodyPublishers.ofString(
                  "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
              .build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        assertTrue(new String(in.readNBytes(800)).contains("w1"));
      }
      long exact = FakeProvider.PROMPT_TOKENS + 200;
      long deadline = System.currentTimeMillis() + 15_000;
      QuotaStore.Usage usage;
      do {
        Thread.sleep(50);
        usage = drain.runtime().quotas().usage("free").toCompletionStage().toCompletableFuture().get();
      } while (usage.usedToday() == 0 && System.currentTimeMillis() < deadline);
      assertEquals(exact, usage.usedToday(), "billed from the provider's own usage after draining");
      assertEquals(0, drained.cancelledStreams(), "the upstream stream ran to its end");
      assertTrue(drain.get("/metrics", null).body().contains("gateway_client_disconnects_total{policy=\"drain\"} 1"));
    } finally {
      drained.close();
    }
  }
}
