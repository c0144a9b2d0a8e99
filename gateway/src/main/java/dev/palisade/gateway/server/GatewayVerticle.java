package dev.palisade.gateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.gateway.config.ConsumerConfig;
import dev.palisade.gateway.provider.Json;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's share of the gateway: an HTTP server (all instances share the port) and an
 * HTTP client for the upstreams. Dispatches the small fixed set of endpoints by hand; a router
 * library would add nothing here but latency.
 */
final class GatewayVerticle extends VerticleBase {

  private final LiveRuntime live;
  private final int port;
  private HttpServer server;
  private HttpClient client;
  /** Exchanges not yet finished; touched only on this verticle's event loop. */
  private final Set<ProxyExchange> inFlight = new HashSet<>();

  GatewayVerticle(LiveRuntime live, int port) {
    this.live = live;
    this.port = port;
  }

  int actualPort() {
    return server.actualPort();
  }

  HttpClient client() {
    return client;
  }

  /**
   * Stops accepting connections and lets requests in flight finish; at {@code deadline} the
   * exchanges still running are ended (a stream with an error event), then the connections close.
   */
  Future<int[]> drain(Duration deadline) {
    io.vertx.core.Promise<int[]> done = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      int[] counts = {inFlight.size(), 0}; // running at the start, ended at the deadline
      long timer = vertx.setTimer(Math.max(1, deadline.toMillis()), id -> {
        counts[1] = inFlight.size();
        new ArrayList<>(inFlight).forEach(ProxyExchange::abortForShutdown);
      });
      // The extra second lets the error events of aborted streams reach the clients.
      server.shutdown(deadline.toMillis() + 1000, TimeUnit.MILLISECONDS).onComplete(ar -> {
        vertx.cancelTimer(timer);
        done.complete(counts);
      });
    });
    return done.future();
  }

  @Override
  public Future<?> start() {
    GatewayRuntime runtime = live.current();
    client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setMaxInitialLineLength(8192),
            new PoolOptions().setHttp1MaxSize(256).setMaxWaitQueueSize(4096));
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(runtime.config.server().host())
                .setPort(port)
                .setTcpNoDelay(true)
                .setMaxHeaderSize(16 * 1024)
                // No WebSockets here: keep their handlers out of every response's path.
                .setPerFrameWebSocketCompressionSupported(false)
                .setPerMessageWebSocketCompressionSupported(false));
    return server.requestHandler(this::handle).listen();
  }

  @Override
  public Future<?> stop() {
    return server.close().compose(v -> client.close());
  }

  private void handle(HttpServerRequest req) {
    handle(req, live.current());
  }

  private void handle(HttpServerRequest req, GatewayRuntime runtime) {
    String path = req.path();
    HttpMethod method = req.method();
    switch (path) {
      case "/healthz" -> text(req, 200, "application/json", "{\"status\":\"ok\"}");
      case "/readyz" ->
          text(req, live.ready() ? 200 : 503, "application/json",
              live.ready() ? "{\"status\":\"ready\"}" : "{\"status\":\"not ready\"}");
      case "/metrics" ->
          text(req, 200, "text/plain; version=0.0.4; charset=utf-8", runtime.metrics.render());
      case "/v1/models" -> {
        if (method != HttpMethod.GET) {
          error(req, ApiError.of(405, "invalid_request_error", "method_not_allowed", "Use GET " + path + "."));
        } else {
          authenticated(req, runtime).ifPresent(c -> models(req, runtime, c));
        }
      }
      case "/v1/chat/completions", "/v1/embeddings" -> {
        if (method != HttpMethod.POST) {
          error(req, ApiError.of(405, "invalid_request_error", "method_not_allowed", "Use POST " + path + "."));
          return;
        }
        Optional<ConsumerConfig> consumer = authenticated(req, runtime);
        if (consumer.isEmpty()) {
          return;
        }
        readBody(req, runtime, body -> {
          JsonNode json;
          try {
            json = Json.parse(body.getBytes());
          } catch (IOException e) {
            error(req, ApiError.badRequest("invalid_json", "The request body is not valid JSON."));
            return;
          }
          if (!(json instanceof ObjectNode object)) {
            error(req, ApiError.badRequest("invalid_json", "The request body must be a JSON object."));
            return;
          }
          boolean embeddings = path.endsWith("embeddings");
          new ProxyExchange(vertx, client, runtime, req, consumer.get(), object, embeddings)
              .trackedBy(inFlight).start();
        });
      }
      default ->
          error(req, ApiError.of(404, "invalid_request_error", "unknown_url",
              "Unknown request URL: " + method + " " + path + "."));
    }
  }

  private Optional<ConsumerConfig> authenticated(HttpServerRequest req, GatewayRuntime runtime) {
    Optional<ConsumerConfig> consumer = runtime.consumers.authenticate(req.getHeader("authorization"));
    if (consumer.isEmpty()) {
      runtime.metrics.errors.inc("-", "-", "invalid_api_key");
      error(req, ApiError.unauthorized());
    }
    return consumer;
  }

  private void models(HttpServerRequest req, GatewayRuntime runtime, ConsumerConfig consumer) {
    ObjectNode list = Json.object();
    list.put("object", "list");
    ArrayNode data = list.putArray("data");
    for (String model : runtime.routes.exactModels()) {
      if (consumer.mayUse(model)) {
        data.addObject().put("id", model).put("object", "model").put("created", 0)
            .put("owned_by", "palisade-gateway");
      }
    }
    text(req, 200, "application/json", Json.text(list));
  }

  /** Reads the body up to the configured limit; larger bodies get 413 without being buffered. */
  private void readBody(
      HttpServerRequest req, GatewayRuntime runtime, java.util.function.Consumer<Buffer> then) {
    long max = runtime.config.server().maxBodyBytes();
    String declared = req.getHeader("content-length");
    if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > max) {
      error(req, tooLarge(max));
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] overflow = {false};
    req.handler(chunk -> {
      if (overflow[0]) {
        return;
      }
      if (body.length() + chunk.length() > max) {
        overflow[0] = true;
        error(req, tooLarge(max));
        return;
      }
      body.appendBuffer(chunk);
    });
    req.endHandler(v -> {
      if (!overflow[0]) {
        then.accept(body);
      }
    });
  }

  private static ApiError tooLarge(long max) {
    return ApiError.of(413, "invalid_request_error", "request_too_large",
        "The request body is larger than the gateway's limit of " + max + " bytes.");
  }

  static void error(HttpServerRequest req, ApiError error) {
    if (req.response().headWritten() || req.response().ended()) {
      return;
    }
    if (error.retryAfterSeconds() != null) {
      req.response().putHeader("retry-after", Long.toString(error.retryAfterSeconds()));
    }
    text(req, error.status(), "application/json", Json.text(error.body()));
  }

  static void text(HttpServerRequest req, int status, String contentType, String body) {
    req.response().setStatusCode(status).putHeader("content-type", contentType).end(body);
  }
}
