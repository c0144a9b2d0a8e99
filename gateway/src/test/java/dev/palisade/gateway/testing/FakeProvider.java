package dev.palisade.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A fake upstream LLM provider on 127.0.0.1 that speaks the OpenAI wire format
 * ({@code /v1/chat/completions}, {@code /v1/embeddings}, {@code /v1/models}) and the Anthropic
 * one ({@code /v1/messages}, {@code /v1/models}) as the real services do: JSON bodies, SSE
 * chunks, usage, error bodies. A test scripts failures with {@link #respond(Function)}.
 */
public final class FakeProvider implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  /** What the fake received. */
  public record Received(String method, String path, String apiKey, JsonNode body) {}

  /** How to answer one request. */
  public sealed interface Reply {}

  /** A normal answer; {@code text} is the assistant's message. */
  public record Ok(String text, boolean reportUsage, long delayMs) implements Reply {}

  /** An error status with a body in the protocol's error shape and optional Retry-After. */
  public record Error(int status, String message, String retryAfter) implements Reply {}

  /** A stream that sends {@code chunks} content chunks and then drops the connection. */
  public record CutStream(int chunks) implements Reply {}

  /** A slow stream: {@code words} content chunks, one every {@code intervalMs}. */
  public record Trickle(int words, long intervalMs) implements Reply {}

  /** A stream sent in one write, so several events (and the end) arrive in one network read. */
  public record Burst() implements Reply {}

  /** Answers after {@code delayMs} (headers included), then normally. */
  public static Ok slow(long delayMs) {
    return new Ok(null, true, delayMs);
  }

  public static final Ok OK = new Ok(null, true, 0);

  private final Vertx vertx;
  private final HttpServer server;
  private final String name;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger cancelledStreams = new AtomicInteger();
  private volatile Function<Received, Reply> responder = r -> OK;

  private final String scheme;

  private FakeProvider(String name, io.vertx.core.http.HttpServerOptions options) {
    this.name = name;
    this.vertx = Vertx.vertx();
    this.scheme = options.isSsl() ? "https" : "http";
    this.server = vertx.createHttpServer(options).requestHandler(this::handle);
    server.listen(0, "127.0.0.1").await();
  }

  public static FakeProvider start(String name) {
    return new FakeProvider(name, new io.vertx.core.http.HttpServerOptions());
  }

  /** A provider behind TLS, e.g. one that requires client certificates (mTLS). */
  public static FakeProvider start(String name, io.vertx.core.http.HttpServerOptions tls) {
    return new FakeProvider(name, tls);
  }

  public String baseUrl() {
    return scheme + "://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** For Azure OpenAI, whose paths start at the resource root. */
  public String rootUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public void respond(Function<Received, Reply> responder) {
    this.responder = responder;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** Streams whose client (the gateway) went away before the fake finished sending. */
  public int cancelledStreams() {
    return cancelledStreams.get();
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buf -> {
      JsonNode body = null;
      if (buf.length() > 0) {
        try {
          body = JSON.readTree(buf.getBytes());
        } catch (Exception e) {
          req.response().setStatusCode(400).end("{\"error\":{\"message\":\"bad json\"}}");
          return;
        }
      }
      String key = req.getHeader("x-api-key");
      if (key == null && req.getHeader("authorization") != null) {
        key = req.getHeader("authorization").replaceFirst("^Bearer ", "");
      }
      if (key == null) {
        key = req.getHeader("api-key");
      }
      Received r = new Received(req.method().name(), req.path(), key, body);
      received.add(r);
      Reply reply = responder.apply(r);
      boolean anthropic = req.path().equals("/v1/messages") || req.getHeader("anthropic-version") != null;
      if (reply instanceof Ok ok && ok.delayMs() > 0) {
        vertx.setTimer(ok.delayMs(), id -> answer(req, r, reply, anthropic));
      } else {
        answer(req, r, reply, anthropic);
      }
    });
  }

  private void answer(HttpServerRequest req, Received r, Reply reply, boolean anthropic) {
    HttpServerResponse res = req.response();
    if (reply instanceof Error e) {
      if (e.retryAfter() != null) {
        res.putHeader("retry-after", e.retryAfter());
      }
      ObjectNode err = JSON.createObjectNode();
      if (anthropic) {
        err.put("type", "error");
        err.putObject("error").put("type", e.status() == 429 ? "rate_limit_error" : "api_error")
            .put("message", e.message());
      } else {
        err.putObject("error").put("message", e.message()).put("type", "invalid_request_error")
            .putNull("param").put("code", e.status() == 401 ? "invalid_api_key" : null);
      }
      res.setStatusCode(e.status()).putHeader("content-type", "application/json").end(err.toString());
      return;
    }
    String path = r.path();
    if (path.startsWith("/openai/deployments/")) {
      // Azure: /openai/deployments/{deployment}/{operation}?api-version=...
      if (req.getParam("api-version") == null) {
        res.setStatusCode(404).end("{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}");
        return;
      }
      path = "/v1" + path.substring(path.indexOf('/', "/openai/deployments/".length()));
    }
    switch (path) {
      case "/v1/models" -> json(res, models());
      case "/v1/embeddings" -> json(res, OpenAiWire.embeddings(r.body()));
      case "/v1/chat/completions" -> {
        if (r.body().path("stream").asBoolean(false)) {
          stream(res, OpenAiWire.streamEvents(r.body(), text(reply, r), usage(reply)), reply);
        } else {
          json(res, OpenAiWire.completion(r.body(), text(reply, r), usage(reply)));
        }
      }
      case "/v1/messages" -> {
        if (r.body().path("stream").asBoolean(false)) {
          stream(res, AnthropicWire.streamEvents(r.body(), text(reply, r)), reply);
        } else {
          json(res, AnthropicWire.message(r.body(), text(reply, r)));
        }
      }
      default -> res.setStatusCode(404).end();
    }
  }

  private String text(Reply reply, Received r) {
    if (reply instanceof Trickle trickle) {
      StringBuilder words = new StringBuilder();
      for (int i = 1; i <= trickle.words(); i++) {
        words.append(i == 1 ? "" : " ").append("w").append(i);
      }
      return words.toString();
    }
    String t = reply instanceof Ok ok ? ok.text() : null;
    return t != null ? t : "Hello from " + name + " model " + r.body().path("model").asText() + ".";
  }

  private static boolean usage(Reply reply) {
    return !(reply instanceof Ok ok) || ok.reportUsage();
  }

  private ObjectNode models() {
    ObjectNode list = JSON.createObjectNode().put("object", "list");
    ArrayNode data = list.putArray("data");
    data.addObject().put("id", "fake-model").put("object", "model");
    return list;
  }

  private static void json(HttpServerResponse res, JsonNode body) {
    res.putHeader("content-type", "application/json").end(body.toString());
  }

  /** Writes SSE events 5 ms apart, as a real provider trickles tokens. */
  private void stream(HttpServerResponse res, List<String[]> events, Reply reply) {
    res.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
    if (reply instanceof Burst) {
      StringBuilder all = new StringBuilder();
      for (String[] e : events) {
        all.append(e[0] == null ? "" : "event: " + e[0] + "\n").append("data: ").append(e[1]).append("\n\n");
      }
      res.end(all.toString());
      return;
    }
    int cutAfter = reply instanceof CutStream c ? c.chunks() : Integer.MAX_VALUE;
    boolean[] gone = {false};
    res.closeHandler(v -> gone[0] = true);
    AtomicInteger i = new AtomicInteger();
    vertx.setPeriodic(reply instanceof Trickle t ? t.intervalMs() : 5, id -> {
      if (gone[0] || res.ended()) {
        vertx.cancelTimer(id);
        if (gone[0] && !res.ended()) {
          cancelledStreams.incrementAndGet();
        }
        return;
      }
      int n = i.getAndIncrement();
      if (n >= cutAfter) {
        vertx.cancelTimer(id);
        res.reset(); // drop the connection mid-stream
        return;
      }
      if (n >= events.size()) {
        vertx.cancelTimer(id);
        res.end();
        return;
      }
      String[] e = events.get(n);
      res.write((e[0] == null ? "" : "event: " + e[0] + "\n") + "data: " + e[1] + "\n\n");
    });
  }

  /** Completion tokens the fake reports: one per word of the answer. */
  public static long count(String text) {
    return text.isBlank() ? 0 : text.strip().split("\\s+").length;
  }

  /** Prompt tokens the fake reports for every request. */
  public static final long PROMPT_TOKENS = 11;
}
