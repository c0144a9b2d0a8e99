package dev.palisade.gateway.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.gateway.auth.AuthOutcome;
import dev.palisade.gateway.config.ConsumerConfig;
import dev.palisade.gateway.limits.LimitExceeded;
import dev.palisade.gateway.limits.RequestGuard;
import dev.palisade.gateway.provider.Json;
import dev.palisade.gateway.tls.TlsOptions;
import io.vertx.core.Context;
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
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * One event loop's share of the gateway: an HTTP server (all instances share the port) and an
 * HTTP client for the upstreams. Dispatches the small fixed set of endpoints by hand; a router
 * library would add nothing here but latency.
 */
final class GatewayVerticle extends VerticleBase {

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger("dev.palisade.gateway");

  private final LiveRuntime live;
  private final int port;
  /** The checked TLS material the listener starts with; null for plain HTTP. */
  private final dev.palisade.gateway.tls.ServerTlsMaterial tls;
  private HttpServer server;
  private HttpClient client;
  /** Exchanges not yet finished; touched only on this verticle's event loop. */
  private final Set<ProxyExchange> inFlight = new HashSet<>();

  GatewayVerticle(LiveRuntime live, int port, dev.palisade.gateway.tls.ServerTlsMaterial tls) {
    this.live = live;
    this.port = port;
    this.tls = tls;
  }

  /**
   * New handshakes get {@code options}; connections already open keep theirs. In Vert.x 5.0 the
   * instances sharing the port delegate this to the one that bound it, whose SSL context every
   * instance reads per accepted connection; {@code force} rebuilds it even if the options look
   * equal to the cached ones.
   */
  Future<Boolean> updateTls(io.vertx.core.net.ServerSSLOptions options) {
    return server.updateSSLOptions(options, true);
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
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(runtime.config.server().host())
            .setPort(port)
            .setTcpNoDelay(true)
            .setMaxHeaderSize(runtime.guard.limits().headerHardCap())
            // No WebSockets here: keep their handlers out of every response's path.
            .setPerFrameWebSocketCompressionSupported(false)
            .setPerMessageWebSocketCompressionSupported(false);
    if (tls != null) {
      TlsOptions.applyTo(options, tls);
    }
    server = vertx.createHttpServer(options);
    // Failed TLS handshakes (no or untrusted client certificate, plain HTTP on the TLS port) are
    // the client's problem; at Vert.x's default SEVERE level anyone could flood the log with them.
    server.exceptionHandler(e -> LOG.fine(() -> "connection error: " + e.getMessage()));
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
    Optional<LimitExceeded> headers = runtime.guard.checkHeaders(req.headers());
    if (headers.isPresent()) {
      error(req, limitError(headers.get()));
      return;
    }
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
          authenticated(req, runtime, c -> models(req, runtime, c));
        }
      }
      case "/v1/chat/completions", "/v1/embeddings" -> {
        if (method != HttpMethod.POST) {
          error(req, ApiError.of(405, "invalid_request_error", "method_not_allowed", "Use POST " + path + "."));
          return;
        }
        authenticated(req, runtime, consumer -> readBody(req, runtime, body -> {
          RequestGuard.Parsed parsed = runtime.guard.parse(body.getBytes());
          if (parsed.error() != null) {
            error(req, limitError(parsed.error()));
            return;
          }
          if (!(parsed.json() instanceof ObjectNode object)) {
            error(req, ApiError.badRequest("invalid_json", "The request body must be a JSON object."));
            return;
          }
          boolean embeddings = path.endsWith("embeddings");
          Optional<LimitExceeded> shape = runtime.guard.checkShape(object, embeddings);
          if (shape.isPresent()) {
            error(req, limitError(shape.get()));
            return;
          }
          new ProxyExchange(vertx, client, runtime, req, consumer, object, embeddings)
              .trackedBy(inFlight).start();
        }));
      }
      default ->
          error(req, ApiError.of(404, "invalid_request_error", "unknown_url",
              "Unknown request URL: " + method + " " + path + "."));
    }
  }

  /**
   * Runs {@code then} with the request's consumer, or answers 401/503. Usually decided at once;
   * while a JWKS is fetched the request is paused so its body waits in Vert.x's buffer.
   */
  private void authenticated(
      HttpServerRequest req, GatewayRuntime runtime, java.util.function.Consumer<ConsumerConfig> then) {
    CompletableFuture<AuthOutcome> outcome =
        runtime.authenticator.authenticate(req.getHeader("authorization"), () -> peerCertificate(req));
    if (outcome.isDone()) {
      decide(req, runtime, outcome.join(), then);
      return;
    }
    req.pause();
    Context context = vertx.getOrCreateContext();
    outcome.whenComplete((o, e) -> context.runOnContext(v -> {
      decide(req, runtime, o != null ? o : new AuthOutcome.Refused(503, "authentication_unavailable", "internal",
          "The gateway cannot check credentials right now."), then);
      req.resume();
    }));
  }

  private void decide(HttpServerRequest req, GatewayRuntime runtime, AuthOutcome outcome,
      java.util.function.Consumer<ConsumerConfig> then) {
    if (outcome instanceof AuthOutcome.Authenticated ok) {
      then.accept(ok.consumer());
      return;
    }
    AuthOutcome.Refused refused = (AuthOutcome.Refused) outcome;
    // The reason is a fixed label (expired, wrong_issuer, unknown_certificate...), never a credential.
    LOG.fine(() -> "authentication refused: " + refused.reason() + " (" + req.method() + " " + req.path() + ")");
    runtime.metrics.errors.inc("-", "-", refused.code());
    error(req, ApiError.of(refused.status(), refused.status() == 401 ? "invalid_request_error" : "server_error",
        refused.code(), refused.message()));
  }

  /** The TLS client's leaf certificate; null on plain HTTP or when the client sent none. */
  private static X509Certificate peerCertificate(HttpServerRequest req) {
    if (!req.isSSL()) {
      return null;
    }
    try {
      List<Certificate> chain = req.connection().peerCertificates();
      return chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf) ? null : leaf;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private static ApiError limitError(LimitExceeded e) {
    return ApiError.of(e.status(), "invalid_request_error", e.code(), e.message());
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
      error(req, limitError(runtime.guard.bodyTooLarge()));
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
        error(req, limitError(runtime.guard.bodyTooLarge()));
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
