package dev.palisade.gateway.lifecycle;

import static dev.palisade.gateway.testing.GatewayHarness.HASH_A;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.gateway.testing.FakeProvider;
import dev.palisade.gateway.testing.GatewayHarness;
import dev.palisade.gateway.testing.ServiceHarness;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Graceful shutdown in process: drain within the deadline, then end what is left cleanly. */
class ShutdownIT {

  static final ObjectMapper JSON = new ObjectMapper();
  FakeProvider upstream;
  ServiceHarness gw;

  void start(String drain) throws Exception {
    gw = ServiceHarness.start("""
        server: {host: 127.0.0.1, port: 0, event_loops: 2}
        lifecycle: {watch_config: false, drain_timeout: %s}
        providers:
          - {name: up, protocol: openai, base_url: %s, keys: [{id: k1, value: sk-shutdown-test-key-01}]}
        routes:
          - {match: "*", targets: [{provider: up}]}
        consumers:
          - {name: team-a, key_sha256: %s, models: ["*"]}
        """.formatted(drain, upstream.baseUrl(), HASH_A), List.of());
  }

  @BeforeEach
  void upstream() {
    upstream = FakeProvider.start("drain");
  }

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    upstream.close();
  }

  CompletableFuture<HttpResponse<String>> streamInFlight() throws InterruptedException {
    CompletableFuture<HttpResponse<String>> stream =
        gw.http().sendAsync(gw.chatRequest(KEY_A, "gpt-4o", true), HttpResponse.BodyHandlers.ofString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (upstream.received("/v1/chat/completions").isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "the stream did not start");
      Thread.sleep(10);
    }
    Thread.sleep(150); // a few chunks have gone out: the stream is committed
    return stream;
  }

  @Test
  void streamsInFlightFinishWithinTheDeadlineWhileNewConnectionsAreRefused() throws Exception {
    start("10s");
    upstream.respond(r -> new FakeProvider.Trickle(20, 50)); // ~1 s
    CompletableFuture<HttpResponse<String>> stream = streamInFlight();
    String base = gw.baseUrl();

    long t0 = System.nanoTime();
    CompletableFuture<Void> shutdown = CompletableFuture.runAsync(gw.service::shutdown);
    Thread.sleep(100);
    assertFalse(gw.service.server().ready(), "not ready from the first moment");
    java.net.http.HttpClient fresh = java.net.http.HttpClient.newHttpClient();
    Exception refused = assertThrows(Exception.class, () -> fresh.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/readyz")).build(),
        HttpResponse.BodyHandlers.ofString()));
    assertTrue(refused instanceof ConnectException || refused.getCause() instanceof ConnectException, refused.toString());

    HttpResponse<String> done = stream.get(20, TimeUnit.SECONDS);
    assertEquals(200, done.statusCode());
    List<String> data = GatewayHarness.sseData(done.body());
    assertEquals("[DONE]", data.get(data.size() - 1), done.body());
    assertFalse(done.body().contains("shutting_down"));
    shutdown.get(20, TimeUnit.SECONDS);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms < 5_000, "shutdown waited for the stream, not for the whole deadline: " + ms + " ms");
  }

  @Test
  void whatIsLeftAtTheDeadlineEndsWithAWellFormedErrorEvent() throws Exception {
    start("500ms");
    upstream.respond(r -> r.body().path("stream").asBoolean()
        ? new FakeProvider.Trickle(400, 50) // 20 s: far past the deadline
        : FakeProvider.slow(20_000));
    CompletableFuture<HttpResponse<String>> stream = streamInFlight();
    CompletableFuture<HttpResponse<String>> waiting =
        gw.http().sendAsync(gw.chatRequest(KEY_A, "gpt-4o", false), HttpResponse.BodyHandlers.ofString());
    Thread.sleep(100);

    long t0 = System.nanoTime();
    gw.service.shutdown();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms < 4_000, "shutdown took " + ms + " ms for a 500 ms deadline");

    HttpResponse<String> cut = stream.get(5, TimeUnit.SECONDS);
    assertEquals(200, cut.statusCode());
    List<String> data = GatewayHarness.sseData(cut.body());
    JsonNode last = JSON.readTree(data.get(data.size() - 1));
    assertEquals("upstream_error", last.path("error").path("type").asText(), cut.body());
    assertTrue(last.path("error").path("message").asText().contains("shutting down"), cut.body());
    assertTrue(cut.body().endsWith("\n\n"), "the event is complete");
    assertFalse(cut.body().contains("[DONE]"), "an interrupted stream does not claim to be complete");

    HttpResponse<String> refused = waiting.get(5, TimeUnit.SECONDS);
    assertEquals(503, refused.statusCode(), refused.body());
    assertEquals("shutting_down", JSON.readTree(refused.body()).path("error").path("code").asText());
  }
}
