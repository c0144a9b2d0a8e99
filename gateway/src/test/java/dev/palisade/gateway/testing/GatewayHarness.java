package dev.palisade.gateway.testing;

import dev.palisade.gateway.config.ConfigLoader;
import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.config.SecretResolver;
import dev.palisade.gateway.consumer.ConsumerKeys;
import dev.palisade.gateway.keypool.InMemoryKeyStateStore;
import dev.palisade.gateway.metrics.GatewayMetrics;
import dev.palisade.gateway.quota.InMemoryQuotaStore;
import dev.palisade.gateway.server.GatewayRuntime;
import dev.palisade.gateway.server.GatewayServer;
import dev.palisade.gateway.state.StateStores;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The real gateway on 127.0.0.1 (ephemeral port), loaded from YAML as `serve` loads it. */
public final class GatewayHarness implements AutoCloseable {

  public static final String KEY_A = "pgw-test-key-for-consumer-team-a";
  public static final String KEY_B = "pgw-test-key-for-consumer-team-b";
  public static final String HASH_A = ConsumerKeys.sha256Hex(KEY_A);
  public static final String HASH_B = ConsumerKeys.sha256Hex(KEY_B);

  private final GatewayServer server;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

  private GatewayHarness(GatewayServer server) {
    this.server = server;
  }

  /** Loads {@code yaml} with plaintext provider keys allowed. */
  public static GatewayHarness start(String yaml) throws IOException {
    return start(yaml, new SecretResolver(Optional.empty(), true));
  }

  public static GatewayHarness start(String yaml, SecretResolver secrets) throws IOException {
    return start(yaml, secrets, null);
  }

  /**
   * With the given state stores (as {@code serve} builds them from {@code state:}); null for
   * fresh in-memory ones. The stores are the caller's to close.
   */
  public static GatewayHarness start(String yaml, SecretResolver secrets, StateStores stores)
      throws IOException {
    Path file = Files.createTempFile("gateway-", ".yaml");
    try {
      Files.writeString(file, yaml);
      GatewayConfig config = new ConfigLoader(secrets).load(file);
      GatewayRuntime runtime;
      if (stores == null) {
        runtime = new GatewayRuntime(config, new InMemoryQuotaStore(Clock.systemUTC()),
            new InMemoryKeyStateStore(), new GatewayMetrics(), Clock.systemUTC());
      } else {
        GatewayMetrics metrics = new GatewayMetrics();
        stores.bindMetrics(metrics);
        runtime = new GatewayRuntime(config, stores.quotas(), stores.keyStates(), metrics, Clock.systemUTC());
      }
      return new GatewayHarness(GatewayServer.start(runtime));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  public GatewayRuntime runtime() {
    return server.runtime();
  }

  public int port() {
    return server.port();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  public HttpResponse<String> post(String path, String key, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (key != null) {
      b.header("authorization", "Bearer " + key);
    }
    return send(b.build());
  }

  public HttpResponse<String> get(String path, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET();
    if (key != null) {
      b.header("authorization", "Bearer " + key);
    }
    return send(b.build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The data: payloads of an SSE body, in order. */
  public static List<String> sseData(String body) {
    List<String> out = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      for (String line : event.split("\n")) {
        if (line.startsWith("data: ")) {
          out.add(line.substring(6));
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.close();
  }
}
