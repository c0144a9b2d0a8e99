package dev.palisade.gateway.lifecycle;

import static dev.palisade.gateway.testing.GatewayHarness.HASH_A;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.palisade.gateway.testing.FakeProvider;
import dev.palisade.gateway.testing.GatewayHarness;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the released artifact ({@code java -jar target/gateway.jar serve}, as bin/gateway
 * runs it): a stream in flight finishes, then the process exits with the documented code.
 */
class SigtermIT {

  static final Path JAR = Path.of("target/gateway.jar").toAbsolutePath();

  @Test
  void sigtermDrainsTheStreamInFlightThenExits() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "the shaded jar is missing: " + JAR + " (run mvn package first)");
    try (FakeProvider upstream = FakeProvider.start("sigterm")) {
      upstream.respond(r -> new FakeProvider.Trickle(40, 50)); // ~2 s
      int port;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      Path dir = Files.createTempDirectory("gateway-sigterm-it");
      Path config = dir.resolve("gateway.yaml");
      Files.writeString(config, """
          server: {host: 127.0.0.1, port: %d, event_loops: 1}
          lifecycle: {drain_timeout: 15s}
          providers:
            - {name: up, protocol: openai, base_url: %s, keys: [{id: k1, value: sk-sigterm-test-key-0001}]}
          routes:
            - {match: "*", targets: [{provider: up}]}
          consumers:
            - {name: team-a, key_sha256: %s, models: ["*"]}
          """.formatted(port, upstream.baseUrl(), HASH_A));
      Path log = dir.resolve("gateway.log");
      Process gateway = new ProcessBuilder("java", "-jar", JAR.toString(), "serve", "--config", config.toString(),
              "--allow-plaintext-secrets")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        awaitReady(http, port, gateway, log);
        CompletableFuture<HttpResponse<String>> stream = http.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + KEY_A)
                .POST(HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (upstream.received("/v1/chat/completions").isEmpty()) {
          assertTrue(System.nanoTime() < deadline, "the stream did not start");
          Thread.sleep(10);
        }
        Thread.sleep(200);

        gateway.destroy(); // SIGTERM
        HttpResponse<String> done = stream.get(20, TimeUnit.SECONDS);
        assertEquals(200, done.statusCode());
        List<String> data = GatewayHarness.sseData(done.body());
        assertEquals("[DONE]", data.get(data.size() - 1), done.body());
        assertTrue(gateway.waitFor(20, TimeUnit.SECONDS), "the gateway did not exit after draining");
        String out = Files.readString(log);
        assertEquals(143, gateway.exitValue(), "128 + SIGTERM, as documented in gateway/README.md\n" + out);
        assertTrue(out.contains("gateway: stopping; draining") && out.contains("1 request(s) were in flight, 0 ended"), out);
        assertFalse(out.contains("Exception"), out);
      } finally {
        gateway.destroyForcibly();
      }
    }
  }

  static void awaitReady(HttpClient http, int port, Process gateway, Path log) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      if (!gateway.isAlive()) {
        fail("the gateway exited with " + gateway.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    fail("the gateway did not become ready within 30 s:\n" + Files.readString(log));
  }
}
