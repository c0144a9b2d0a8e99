package dev.palisade.gateway.testing;

import dev.palisade.gateway.config.AdminConfig.AdminToken;
import dev.palisade.gateway.config.ConfigLoader;
import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.config.SecretResolver;
import dev.palisade.gateway.lifecycle.GatewayService;
import dev.palisade.gateway.reload.ConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The gateway as `serve` runs it (file-backed config, reloader, file watch, admin API), from a
 * YAML file in a temp directory that a test may rewrite. Provider keys in plaintext are allowed.
 */
public final class ServiceHarness implements AutoCloseable {

  public static final String ADMIN_TOKEN = "admin-token-for-tests-0123456789";

  public final Path dir;
  public final Path configFile;
  public final GatewayService service;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

  private ServiceHarness(Path dir, Path configFile, GatewayService service) {
    this.dir = dir;
    this.configFile = configFile;
    this.service = service;
  }

  /** Starts from {@code yaml}; {@code %DIR%} in it is replaced by the harness's temp directory. */
  public static ServiceHarness start(String yaml, List<AdminToken> startTokens) throws IOException {
    return start(yaml, startTokens, new SecretResolver(Optional.empty(), true));
  }

  /** Starts with {@code secrets} used for the first load and for every reload, as `serve` does. */
  public static ServiceHarness start(String yaml, List<AdminToken> startTokens, SecretResolver secrets)
      throws IOException {
    Path dir = Files.createTempDirectory("gateway-ops-");
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, yaml.replace("%DIR%", dir.toString()));
    ConfigSource source = new ConfigSource() {
      @Override
      public Path file() {
        return file;
      }

      @Override
      public GatewayConfig load() {
        return new ConfigLoader(secrets).load(file);
      }
    };
    return new ServiceHarness(dir, file, GatewayService.start(source, startTokens, Clock.systemUTC()));
  }

  public void rewrite(String yaml) throws IOException {
    // Write then rename, as editors and Kubernetes do, so the watcher never sees half a file.
    Path tmp = dir.resolve("gateway.yaml.tmp");
    Files.writeString(tmp, yaml.replace("%DIR%", dir.toString()));
    Files.move(tmp, configFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + service.server().port();
  }

  public String adminUrl() {
    return "http://127.0.0.1:" + service.adminPort();
  }

  public HttpResponse<String> admin(String method, String path, String json) {
    return admin(method, path, json, ADMIN_TOKEN);
  }

  public HttpResponse<String> admin(String method, String path, String json, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(adminUrl() + path)).timeout(Duration.ofSeconds(30))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("content-type", "application/json");
    }
    if (token != null) {
      b.header("authorization", "Bearer " + token);
    }
    return send(b.build());
  }

  public HttpResponse<String> chat(String key, String model, boolean stream) {
    return send(chatRequest(key, model, stream));
  }

  public HttpRequest chatRequest(String key, String model, boolean stream) {
    return HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(60))
        .header("content-type", "application/json")
        .header("authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET().build());
  }

  public HttpClient http() {
    return http;
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    service.close();
  }
}
