package dev.palisade.gateway.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.gateway.consumer.ConsumerKeys;
import dev.palisade.gateway.secrets.MasterKeyRing;
import dev.palisade.gateway.secrets.SecretCipher;
import dev.palisade.gateway.testing.FakeProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official {@code openai} npm client against the released artifact: the shaded jar started
 * as `gateway serve` (encrypted provider key, master key from the environment) in front of a fake
 * OpenAI upstream. Needs node and {@code npm ci --prefix gateway/src/test/node}; fails, never
 * skips, when they are missing.
 */
class OpenAiNodeClientIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Path NODE_DIR = Path.of("src/test/node").toAbsolutePath();
  static final Path JAR = Path.of("target/gateway.jar").toAbsolutePath();
  static final String PROVIDER_KEY = "sk-node-test-provider-key-0042";
  static final String CONSUMER_KEY = ConsumerKeys.generate();

  static FakeProvider upstream;
  static Process gateway;
  static Path logFile;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    requireNode();
    assertTrue(Files.isRegularFile(JAR), "the shaded jar is missing: " + JAR + " (run mvn package first)");
    upstream = FakeProvider.start("node-upstream");
    upstream.respond(r -> "cut".equals(r.body() == null ? null : r.body().path("model").asText())
        ? new FakeProvider.CutStream(3) : FakeProvider.OK);
    String masterKey = MasterKeyRing.generate("ci");
    String encrypted = new SecretCipher(MasterKeyRing.parse(masterKey, "test")).encrypt(PROVIDER_KEY);
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path dir = Files.createTempDirectory("gateway-node-it");
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        server: {host: 127.0.0.1, port: %d, event_loops: 2}
        providers:
          - name: upstream
            protocol: openai
            base_url: %s
            keys: [{id: u1, value: "%s"}]
        routes:
          - {match: gpt-4o, targets: [{provider: upstream, model: gpt-4o-2024-08-06}]}
          - {match: "text-embedding-*", targets: [{provider: upstream}]}
          - {match: cut, targets: [{provider: upstream}]}
        consumers:
          - {name: node, key_sha256: %s, models: ["*"]}
        """.formatted(port, upstream.baseUrl(), encrypted, ConsumerKeys.sha256Hex(CONSUMER_KEY)));
    logFile = dir.resolve("gateway.log");
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", JAR.toString(), "serve", "--config", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(logFile.toFile());
    pb.environment().put(MasterKeyRing.ENV_VAR, masterKey);
    gateway = pb.start();
    awaitReady();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.destroy(); // SIGTERM: the shutdown hook closes the server
      if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
        gateway.destroyForcibly();
      }
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void nonStreamingChat() throws Exception {
    JsonNode out = node("chat");
    assertEquals("Hello from node-upstream model gpt-4o-2024-08-06.", out.path("content").asText());
    assertEquals("stop", out.path("finish").asText());
    assertEquals(FakeProvider.PROMPT_TOKENS + 5, out.at("/usage/total_tokens").asLong());
    assertEquals(PROVIDER_KEY, upstream.received("/v1/chat/completions").get(0).apiKey(), "decrypted key upstream");
  }

  @Test
  void streamingChat() throws Exception {
    JsonNode out = node("stream");
    assertEquals("Hello from node-upstream model gpt-4o-2024-08-06.", out.path("content").asText());
    assertTrue(out.path("chunks").asInt() >= 7, out.toString());
    assertEquals(5, out.at("/usage/completion_tokens").asLong());
  }

  @Test
  void embeddings() throws Exception {
    JsonNode out = node("embeddings");
    assertEquals(2, out.path("count").asInt());
    assertEquals(3, out.path("dims").asInt());
    assertEquals(6, out.at("/usage/total_tokens").asLong());
  }

  @Test
  void modelsAndErrorsAsTheSdkSeesThem() throws Exception {
    assertEquals(List.of("gpt-4o", "cut").stream().sorted().toList(),
        JSON.convertValue(node("models").path("ids"), List.class));
    JsonNode error = node("error");
    assertEquals("NotFoundError", error.path("name").asText(), error.toString());
    assertEquals(404, error.path("status").asInt());
    assertEquals("model_not_found", error.path("code").asText());
  }

  @Test
  void aStreamCutUpstreamSurfacesAsAnSdkError() throws Exception {
    JsonNode out = node("stream-error");
    assertFalse(out.has("unexpected"), out.toString());
    assertTrue(out.path("message").asText().contains("stream"), out.toString());
    assertFalse(out.path("content").asText().isEmpty(), "chunks before the cut were delivered: " + out);
  }

  @Test
  void theGatewayLogNeverShowsTheProviderKey() throws Exception {
    node("chat");
    String log = Files.readString(logFile);
    assertTrue(log.contains("gateway listening on http://127.0.0.1:" + port), log);
    assertFalse(log.contains(PROVIDER_KEY), log);
    assertFalse(log.contains(CONSUMER_KEY), log);
  }

  static JsonNode node(String mode) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("node", NODE_DIR.resolve("client.mjs").toString(), mode)
        .directory(NODE_DIR.toFile());
    pb.environment().put("GATEWAY_URL", "http://127.0.0.1:" + port);
    pb.environment().put("GATEWAY_KEY", CONSUMER_KEY);
    Process p = pb.start();
    byte[] stdout = p.getInputStream().readAllBytes();
    byte[] stderr = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node " + mode + " did not finish");
    String out = new String(stdout, StandardCharsets.UTF_8).strip();
    assertEquals(0, p.exitValue(), "node " + mode + " failed: " + out + "\n" + new String(stderr, StandardCharsets.UTF_8));
    return JSON.readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
  }

  static void requireNode() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor() != 0 || !version.startsWith("v")) {
        fail("'node --version' failed (" + version + "): install Node.js 20+ to run this test");
      }
    } catch (IOException | InterruptedException e) {
      fail("node is not installed or not on PATH: install Node.js 20+, then run: npm ci --prefix gateway/src/test/node");
    }
    if (!Files.isDirectory(NODE_DIR.resolve("node_modules/openai"))) {
      fail("the openai npm client is not installed: run 'npm ci --prefix gateway/src/test/node' before mvn verify");
    }
  }

  static void awaitReady() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      if (!gateway.isAlive()) {
        fail("the gateway exited with " + gateway.exitValue() + ":\n" + Files.readString(logFile));
      }
      try {
        HttpResponse<String> r = http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    fail("the gateway did not become ready within 30 s:\n" + Files.readString(logFile));
  }
}
