package dev.palisade.gateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.gateway.config.ConsumerConfig;
import dev.palisade.gateway.config.DisconnectPolicy;
import dev.palisade.gateway.config.ProviderKey;
import dev.palisade.gateway.keypool.Failure;
import dev.palisade.gateway.provider.ChunkSink;
import dev.palisade.gateway.provider.Json;
import dev.palisade.gateway.provider.StreamTranslator;
import dev.palisade.gateway.provider.UpstreamRequest;
import dev.palisade.gateway.quota.QuotaStore;
import dev.palisade.gateway.routing.Route;
import dev.palisade.gateway.routing.Target;
import dev.palisade.gateway.stream.SseParser;
import dev.palisade.gateway.stream.TokenEstimator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * One chat or embeddings request, from quota reservation through the attempt chain to the bill.
 *
 * <p>Failures before the first byte reaches the client (connect error, timeout, 401/403, 429,
 * 5xx, a stream that ends before its first event) move on: another key of the same provider for
 * key-specific failures (401/403/429), else the next target of the plan. Once bytes have gone to
 * the client the exchange is committed: a later failure ends the stream with an error event,
 * never with a silent switch to another model.
 *
 * <p>Everything runs on one event loop; {@link #attemptSeq} tells callbacks of an abandoned
 * attempt that they are stale.
 */
final class ProxyExchange {

  private static final Logger LOG = Logger.getLogger("dev.palisade.gateway.proxy");

  private final Vertx vertx;
  private final HttpClient client;
  private final GatewayRuntime rt;
  private final HttpServerRequest req;
  private final HttpServerResponse res;
  private final ConsumerConfig consumer;
  private final ObjectNode body;
  private final boolean embeddings;
  private final long startNanos = System.nanoTime();

  private Route route;
  private List<Target> plan;
  private int index;
  private final Map<String, Set<String>> triedKeys = new HashMap<>();
  private String pendingReason;
  private ApiError lastFailure;

  private boolean stream;
  private boolean stripUsage;
  private long inputEstimate;
  private QuotaStore.Reservation reservation;
  private boolean settled;

  private int attemptSeq;
  private Target target;
  private Provider provider;
  private ProviderKey key;
  private HttpClientRequest upstreamRequest;
  private HttpClientResponse upstreamResponse;
  private long firstByteTimer = -1;

  /** Output collected while one upstream read is being parsed; null outside of that. */
  private Buffer batch;

  private boolean committed;
  private boolean finished;
  private boolean clientGone;
  private long usageIn = -1;
  private long usageOut = -1;
  private final StringBuilder outputText = new StringBuilder();
  private Set<ProxyExchange> inFlight;

  ProxyExchange(
      Vertx vertx,
      HttpClient client,
      GatewayRuntime rt,
      HttpServerRequest req,
      ConsumerConfig consumer,
      ObjectNode body,
      boolean embeddings) {
    this.vertx = vertx;
    this.client = client;
    this.rt = rt;
    this.req = req;
    this.res = req.response();
    this.consumer = consumer;
    this.body = body;
    this.embeddings = embeddings;
  }

  /** Joins {@code inFlight} until the exchange ends, so a shutdown can end it at its deadline. */
  ProxyExchange trackedBy(Set<ProxyExchange> inFlight) {
    this.inFlight = inFlight;
    inFlight.add(this);
    return this;
  }

  /**
   * The shutdown deadline has come: a stream that has started ends with an error event, a request
   * still waiting for its provider gets a 503. Usage so far is billed. Runs on the event loop.
   */
  void abortForShutdown() {
    if (finished) {
      return;
    }
    String message = "The gateway is shutting down; retry the request.";
    if (committed) {
      streamBroken(attemptSeq, "shutdown", message);
      return;
    }
    attemptSeq++;
    cancelTimer();
    resetUpstream();
    finished = true; // a reservation still on its way is released when it arrives (see start())
    billIfSent();
    record(503);
    rt.metrics.errors.inc(route == null ? "-" : route.label(), consumer.name(), "shutting_down");
    GatewayVerticle.error(req, ApiError.of(503, "service_unavailable", "shutting_down", message));
  }

  void start() {
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || model.asText().isBlank()) {
      reject(ApiError.badRequest("missing_model", "The request needs a 'model' string."));
      return;
    }
    String requested = model.asText();
    if (embeddings) {
      JsonNode input = body.get("input");
      if (input == null || input.isNull() || (input.isContainerNode() && input.isEmpty())) {
        reject(ApiError.badRequest("missing_input", "The request needs an 'input' (a string or a list)."));
        return;
      }
    } else if (!body.path("messages").isArray() || body.path("messages").isEmpty()) {
      reject(ApiError.badRequest("missing_messages", "The request needs a non-empty 'messages' list."));
      return;
    }
    String shown = requested.length() > 100 ? requested.substring(0, 100) + "..." : requested;
    if (!consumer.mayUse(requested)) {
      reject(ApiError.of(403, "permission_error", "model_not_allowed",
          "Your gateway key may not use the model '" + shown + "'."));
      return;
    }
    Optional<Route> found = rt.routes.resolve(requested);
    if (found.isEmpty()) {
      reject(ApiError.of(404, "invalid_request_error", "model_not_found",
          "The model '" + shown + "' does not exist or is not routed by this gateway."));
      return;
    }
    route = found.get();
    stream = !embeddings && body.path("stream").asBoolean(false);
    if (stream && !body.path("stream_options").path("include_usage").asBoolean(false)) {
      // The gateway bills from the provider's usage, so it asks for it and hides it again.
      ObjectNode options =
          body.get("stream_options") instanceof ObjectNode o ? o : body.putObject("stream_options");
      options.put("include_usage", true);
      stripUsage = true;
    }
    long completionReserve = 0;
    if (!embeddings) {
      JsonNode max = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
      completionReserve = max != null && max.canConvertToLong() && max.asLong() > 0
          ? max.asLong() : rt.config.server().completionTokenReserve();
    }
    inputEstimate = embeddings ? TokenEstimator.embeddingsInput(body.get("input")) : TokenEstimator.chatInput(body);
    plan = route.plan(requested, consumer.name());
    target = plan.get(0);
    res.closeHandler(v -> clientClosed());
    rt.quotas.reserve(consumer.name(), consumer.limits(), inputEstimate + completionReserve)
        .onComplete(ar -> {
          if (ar.failed()) {
            // Fail closed (state.on_unavailable): without the quota store nobody can be billed.
            reject(ApiError.of(503, "service_unavailable", "state_store_unavailable",
                "The gateway's shared state store (quotas and rate limits) is unavailable; try again shortly."));
          } else if (ar.result() instanceof QuotaStore.Denied denied) {
            rt.metrics.quotaRejections.inc(consumer.name(), denied.limit());
            boolean quota = denied.limit().endsWith("_day") || denied.limit().endsWith("_month");
            reject(new ApiError(429, quota ? "insufficient_quota" : "rate_limit_exceeded",
                quota ? "insufficient_quota" : "rate_limit_exceeded",
                "Limit '" + denied.limit() + "' of your gateway key is exhausted; retry in "
                    + denied.retryAfterSeconds() + " s.", denied.retryAfterSeconds()));
          } else {
            reservation = (QuotaStore.Reservation) ar.result();
            if (finished) {
              settle(0); // the client left while the quota store answered
            } else {
              attempt();
            }
          }
        });
  }

  // ---------------------------------------------------------------- attempts

  private void attempt() {
    if (clientGone) {
      // Draining, and the attempt failed: nobody is waiting for another one.
      finished = true;
      billIfSent();
      record(499);
      return;
    }
    while (index < plan.size()) {
      Target t = plan.get(index);
      Provider p = rt.providers.get(t.provider());
      if (embeddings && !p.adapter().servesEmbeddings()) {
        lastFailure = ApiError.badRequest("embeddings_unsupported",
            "The provider for this model does not serve embeddings.");
        nextTarget("unsupported");
        continue;
      }
      Set<String> tried = triedKeys.computeIfAbsent(p.name(), k -> new HashSet<>());
      Optional<ProviderKey> k = p.pool().acquire(tried);
      if (k.isEmpty()) {
        if (lastFailure == null) {
          lastFailure = ApiError.of(503, "service_unavailable", "no_upstream_key",
              "No provider key is available for this model right now; try again later.");
        }
        nextTarget(pendingReason != null ? pendingReason : "no_available_key");
        continue;
      }
      tried.add(k.get().id());
      send(t, p, k.get());
      return;
    }
    fail(lastFailure);
  }

  private void nextTarget(String reason) {
    Target from = plan.get(index);
    index++;
    pendingReason = null;
    if (index < plan.size()) {
      rt.metrics.fallbacks.inc(route.label(), from.provider(), reason);
      LOG.fine(() -> "fallback on route " + route.label() + " from " + from.provider() + ": " + reason);
    }
  }

  private void send(Target t, Provider p, ProviderKey k) {
    target = t;
    provider = p;
    key = k;
    int seq = ++attemptSeq;
    body.put("model", t.upstreamModel());
    UpstreamRequest up;
    try {
      up = embeddings ? p.adapter().embeddings(body, k) : p.adapter().chat(body, k);
    } catch (IllegalArgumentException e) {
      reject(ApiError.badRequest("unsupported_request", "This request cannot be sent to the provider: " + e.getMessage()));
      return;
    }
    RequestOptions options =
        p.withTls(new RequestOptions())
            .setMethod(up.method())
            .setAbsoluteURI(up.url())
            .setConnectTimeout(p.config().connectTimeout().toMillis())
            .setIdleTimeout(p.config().idleTimeout().toMillis());
    up.headers().forEach(options::addHeader);
    options.addHeader("accept", stream ? "text/event-stream" : "application/json");
    firstByteTimer =
        vertx.setTimer(Math.max(1, p.config().firstByteTimeout().toMillis()),
            id -> {
              firstByteTimer = -1;
              upstreamFailed(seq, "timeout", new Failure.Unhealthy("timeout", null),
                  ApiError.of(504, "upstream_error", "upstream_timeout",
                      "The provider did not answer in time."), false);
            });
    Buffer payload = up.body() == null ? Buffer.buffer() : up.body();
    client.request(options)
        .compose(r -> {
          if (seq != attemptSeq) {
            r.reset();
            return Future.failedFuture("abandoned");
          }
          upstreamRequest = r;
          return r.send(payload);
        })
        .onComplete(ar -> {
          if (seq != attemptSeq) {
            return;
          }
          if (ar.failed()) {
            upstreamFailed(seq, "connect_error", new Failure.Unhealthy("connect_error", null),
                ApiError.of(502, "upstream_error", "upstream_unavailable",
                    "The provider could not be reached."), false);
          } else {
            onResponse(seq, ar.result());
          }
        });
  }

  private void onResponse(int seq, HttpClientResponse r) {
    upstreamResponse = r;
    int status = r.statusCode();
    if (status >= 200 && status < 300) {
      if (stream) {
        relayStream(seq, r);
      } else {
        cancelTimer();
        r.body().onComplete(b -> {
          if (seq != attemptSeq) {
            return;
          }
          if (b.failed()) {
            upstreamFailed(seq, "body_error", new Failure.Unhealthy("body_error", null),
                ApiError.of(502, "upstream_error", "upstream_unavailable",
                    "The provider's response broke off."), false);
          } else {
            completeJson(seq, b.result());
          }
        });
      }
      return;
    }
    cancelTimer();
    String label = Integer.toString(status);
    Duration retryAfter = RetryAfter.parse(r.getHeader("retry-after"), rt.clock.instant());
    r.body().onComplete(b -> {
      if (seq != attemptSeq) {
        return;
      }
      byte[] bytes = b.succeeded() ? b.result().getBytes() : new byte[0];
      if (status == 401 || status == 403) {
        upstreamFailed(seq, label, new Failure.Rejected(status),
            ApiError.of(502, "upstream_error", "upstream_auth_failed",
                "The provider refused the gateway's credentials."), true);
      } else if (status == 429) {
        upstreamFailed(seq, label, new Failure.RateLimited(retryAfter),
            new ApiError(429, "rate_limit_exceeded", "upstream_rate_limited",
                "The provider is rate limiting requests; try again later.",
                retryAfter == null ? null : Math.max(1, (retryAfter.toMillis() + 999) / 1000)), true);
      } else if (status >= 500) {
        upstreamFailed(seq, label, new Failure.Unhealthy(label, retryAfter),
            ApiError.of(502, "upstream_error", "upstream_unavailable",
                "The provider failed (HTTP " + status + ")."), false);
      } else {
        // The request itself is wrong (400, 404, 422...): the key is fine, fallbacks would fail
        // the same way, so the client hears the provider's verdict, redacted.
        provider.pool().reportSuccess(key.id());
        rt.metrics.upstreamResponses.inc(provider.name(), label);
        fail(upstreamClientError(status, bytes));
      }
    });
  }

  private ApiError upstreamClientError(int status, byte[] bytes) {
    String message = null;
    String type = "invalid_request_error";
    String code = null;
    try {
      JsonNode error = Json.parse(bytes).path("error");
      if (error.path("message").isTextual()) {
        message = error.path("message").asText();
      }
      if (error.path("type").isTextual()) {
        type = error.path("type").asText();
      }
      if (error.path("code").isTextual()) {
        code = error.path("code").asText();
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: the generic message below
    }
    String text = message == null ? "The provider rejected the request (HTTP " + status + ")." : message;
    return ApiError.of(status, rt.redactor.redact(type), rt.redactor.redact(code), rt.redactor.redact(text));
  }

  /** A failure before the client got anything: record it, rest the key, try the next option. */
  private void upstreamFailed(int seq, String reason, Failure keyFailure, ApiError clientError, boolean sameProvider) {
    if (seq != attemptSeq || finished) {
      return;
    }
    attemptSeq++;
    cancelTimer();
    resetUpstream();
    rt.metrics.upstreamResponses.inc(provider.name(), reason);
    provider.pool().reportFailure(key.id(), keyFailure);
    lastFailure = clientError;
    if (sameProvider) {
      pendingReason = reason;
    } else {
      nextTarget(reason);
    }
    attempt();
  }

  // ---------------------------------------------------------------- non-streaming

  private void completeJson(int seq, Buffer raw) {
    ObjectNode json;
    try {
      json = embeddings || provider.adapter().speaksOpenAi()
          ? (ObjectNode) Json.parse(raw.getBytes())
          : provider.adapter().chatResponse(raw.getBytes());
    } catch (IOException | ClassCastException e) {
      upstreamFailed(seq, "invalid_body", new Failure.Unhealthy("invalid_body", null),
          ApiError.of(502, "upstream_error", "upstream_invalid_response",
              "The provider's response is not valid JSON."), false);
      return;
    }
    provider.pool().reportSuccess(key.id());
    rt.metrics.upstreamResponses.inc(provider.name(), "200");
    JsonNode usage = json.path("usage");
    if (usage.has("prompt_tokens")) {
      usageIn = usage.path("prompt_tokens").asLong();
      usageOut = usage.has("completion_tokens") ? usage.path("completion_tokens").asLong()
          : Math.max(0, usage.path("total_tokens").asLong() - usageIn);
    } else {
      for (JsonNode choice : json.path("choices")) {
        outputText.append(choice.path("message").path("content").asText(""));
      }
    }
    Buffer out = embeddings || provider.adapter().speaksOpenAi() ? raw : Buffer.buffer(Json.bytes(json));
    finished = true;
    bill(); // before the client can see the end, so usage read right after is settled
    record(clientGone ? 499 : 200);
    if (!clientGone) {
      res.setStatusCode(200).putHeader("content-type", "application/json").end(out);
    }
  }

  // ---------------------------------------------------------------- streaming

  private void relayStream(int seq, HttpClientResponse r) {
    StreamTranslator translator = provider.adapter().streamTranslator();
    ChunkSink sink = new Sink(seq);
    SseParser parser = new SseParser((event, data) -> {
      if (seq == attemptSeq && !finished) {
        translator.onEvent(event, data, sink);
      }
    });
    r.handler(buf -> {
      // Events parsed from one network read go out in one write, not one syscall per event.
      batch = Buffer.buffer(buf.length() + 64);
      parser.feed(buf);
      flushBatch();
      batch = null;
    });
    r.exceptionHandler(t -> streamBroken(seq, "stream_cut", "The provider's stream broke off."));
    r.endHandler(v -> streamBroken(seq, "stream_cut", "The provider's stream ended before it was complete."));
  }

  private final class Sink implements ChunkSink {
    private final int seq;

    Sink(int seq) {
      this.seq = seq;
    }

    @Override
    public void chunk(ObjectNode chunk, String raw) {
      if (seq != attemptSeq || finished) {
        return;
      }
      if (!committed) {
        commit();
      }
      JsonNode usage = chunk.get("usage");
      boolean hasUsage = usage != null && usage.isObject();
      if (hasUsage) {
        usageIn = usage.path("prompt_tokens").asLong();
        usageOut = usage.path("completion_tokens").asLong();
      }
      for (JsonNode choice : chunk.path("choices")) {
        JsonNode delta = choice.path("delta");
        JsonNode content = delta.get("content");
        if (content != null && content.isTextual()) {
          outputText.append(content.asText());
        }
        for (JsonNode call : delta.path("tool_calls")) {
          outputText.append(call.path("function").path("arguments").asText(""));
        }
      }
      String out = raw;
      if (stripUsage && usage != null) {
        if (hasUsage && chunk.path("choices").isEmpty()) {
          return; // the usage chunk only the gateway asked for
        }
        chunk.remove("usage");
        out = null;
      }
      write("data: " + (out != null ? out : Json.text(chunk)) + "\n\n");
    }

    @Override
    public void done() {
      if (seq != attemptSeq || finished) {
        return;
      }
      if (!committed) {
        commit();
      }
      finished = true;
      bill();
      record(clientGone ? 499 : 200);
      write("data: [DONE]\n\n");
      if (!clientGone) {
        endResponse();
      }
    }

    @Override
    public void error(String message) {
      streamBroken(seq, "stream_error", "The provider reported an error: " + rt.redactor.redact(message));
    }
  }

  /** The stream failed: before commit this is an ordinary failure, after it an error event. */
  private void streamBroken(int seq, String reason, String message) {
    if (seq != attemptSeq || finished) {
      return;
    }
    if (!committed) {
      upstreamFailed(seq, reason, new Failure.Unhealthy(reason, null),
          ApiError.of(502, "upstream_error", "upstream_unavailable", message), false);
      return;
    }
    finished = true;
    attemptSeq++;
    resetUpstream();
    rt.metrics.upstreamResponses.inc(provider.name(), reason);
    rt.metrics.errors.inc(route.label(), consumer.name(), "stream_interrupted");
    bill();
    record(clientGone ? 499 : 200);
    if (!clientGone) {
      write(ApiError.of(502, "upstream_error", "stream_interrupted",
          message + " The response is incomplete.").asSseEvent());
      endResponse();
    }
  }

  private void commit() {
    committed = true;
    cancelTimer();
    provider.pool().reportSuccess(key.id());
    rt.metrics.upstreamResponses.inc(provider.name(), "200");
    rt.metrics.timeToFirstToken.observe(elapsedSeconds(), route.label(), target.modelLabel(), provider.name());
    if (!clientGone) {
      res.setStatusCode(200)
          .putHeader("content-type", "text/event-stream")
          .putHeader("cache-control", "no-cache")
          .setChunked(true);
    }
  }

  private void write(String text) {
    if (batch != null) {
      batch.appendString(text);
    } else {
      write(Buffer.buffer(text));
    }
  }

  private void flushBatch() {
    if (batch != null && batch.length() > 0) {
      Buffer out = batch;
      batch = Buffer.buffer();
      write(out);
    }
  }

  /**
   * Ends the stream with what is batched in the same write as the closing chunk: written apart,
   * they left in two TCP segments, and the client woke up twice to read the end of every stream.
   */
  private void endResponse() {
    if (res.ended()) {
      return;
    }
    if (batch != null && batch.length() > 0) {
      Buffer last = batch;
      batch = Buffer.buffer();
      res.end(last);
    } else {
      res.end();
    }
  }

  private void write(Buffer bytes) {
    if (clientGone || res.ended()) {
      return;
    }
    res.write(bytes);
    if (res.writeQueueFull() && upstreamResponse != null) {
      HttpClientResponse upstream = upstreamResponse;
      upstream.pause();
      res.drainHandler(v -> upstream.resume());
    }
  }

  /** See {@link DisconnectPolicy}: cancel stops the provider now, drain reads on to bill exactly. */
  private void clientClosed() {
    if (finished || clientGone) {
      return;
    }
    clientGone = true;
    DisconnectPolicy policy = rt.config.server().disconnectPolicy();
    rt.metrics.clientDisconnects.inc(policy.name().toLowerCase(Locale.ROOT));
    if (policy == DisconnectPolicy.DRAIN && upstreamRequest != null) {
      if (upstreamResponse != null) {
        upstreamResponse.resume(); // keep reading; writes are skipped from now on
      }
      return;
    }
    finished = true;
    attemptSeq++;
    cancelTimer();
    resetUpstream();
    billIfSent();
    record(499);
  }

  // ---------------------------------------------------------------- endings

  private void reject(ApiError error) {
    rt.metrics.errors.inc(route == null ? "-" : route.label(), consumer.name(), error.code() == null ? error.type() : error.code());
    finished = true;
    settle(0);
    record(error.status());
    GatewayVerticle.error(req, error);
  }

  private void fail(ApiError error) {
    if (finished) {
      return;
    }
    if (error == null) {
      error = ApiError.of(503, "service_unavailable", "no_upstream_key",
          "No provider key is available for this model right now; try again later.");
    }
    reject(error);
  }

  /** A request that never reached a provider costs nothing; one that did costs its usage. */
  private void billIfSent() {
    if (provider == null) {
      settle(0);
    } else {
      bill();
    }
  }

  /** Settles the reservation with the provider's usage, or with an estimate if it gave none. */
  private void bill() {
    long in = usageIn >= 0 ? usageIn : inputEstimate;
    long out;
    if (usageOut >= 0) {
      out = usageOut;
    } else {
      out = TokenEstimator.count(outputText.toString());
      if (provider != null) {
        rt.metrics.estimatedUsage.inc(provider.name());
      }
    }
    String model = target == null ? "-" : target.modelLabel();
    rt.metrics.tokens.add(in, model, consumer.name(), "input");
    rt.metrics.tokens.add(out, model, consumer.name(), "output");
    settle(in + out);
  }

  private void settle(long tokens) {
    if (reservation != null && !settled) {
      settled = true;
      rt.quotas.settle(reservation, tokens);
    }
  }

  private void record(int status) {
    if (inFlight != null) {
      inFlight.remove(this);
    }
    String routeLabel = route == null ? "-" : route.label();
    String model = target == null ? "-" : target.modelLabel();
    String providerName = provider == null ? "-" : provider.name();
    rt.metrics.requests.inc(routeLabel, model, providerName, consumer.name(), Integer.toString(status));
    rt.metrics.latency.observe(elapsedSeconds(), routeLabel, model, providerName, consumer.name());
  }

  private double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private void cancelTimer() {
    if (firstByteTimer >= 0) {
      vertx.cancelTimer(firstByteTimer);
      firstByteTimer = -1;
    }
  }

  private void resetUpstream() {
    if (upstreamRequest != null) {
      upstreamRequest.reset();
      upstreamRequest = null;
    }
    upstreamResponse = null;
  }
}
