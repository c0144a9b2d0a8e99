// A mock OpenAI upstream for the gateway benchmarks (bench/gateway, bench/gateway-prod). Run with the
// Vert.x that the gateway jar already contains:
//   java -cp gateway/target/gateway.jar bench/common/MockUpstream.java PORT LATENCY_MS [MORE_PORTS...]
// Answers POST .../chat/completions (JSON, or SSE when the body asks for "stream":true), POST
// .../embeddings and GET .../models under any base path, so one mock can stand in for several
// providers: /v1 (clean), /primary/v1 and /backup/v1.
// JSON: answers after LATENCY_MS. SSE: the first chunk after LATENCY_MS, then 4 more content chunks,
// a usage chunk and [DONE] at once (or spaced out in trickle mode).
//
// Faults, switched on at run time for requests under /primary/ only (the other paths stay clean,
// so a gateway can fall back to them):
//   POST /_fault?mode=none|rate_limit|server_error|timeout|cut|trickle[&retry_after=S][&trickle_ms=MS]
//     rate_limit    429 with Retry-After: S (default 2) and OpenAI's error body
//     server_error  500 with OpenAI's error body
//     timeout       accepts the request and never answers
//     cut           JSON: headers and half the body, then the connection closes;
//                   SSE: two chunks, then the connection closes (no usage, no [DONE])
//     trickle       SSE: every chunk MS (default 200) apart; JSON: the body in 8 pieces MS apart
//   (cut and trickle leave GET /models alone)
//   GET /_stats     requests seen so far per base path: "primary=N backup=N other=N"
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

public class MockUpstream {
  static final String JSON = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
      + "\"model\":\"bench-upstream\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"Hello there, this is a benchmark answer.\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":8,\"total_tokens\":20}}";
  static final String CHUNK = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
      + "\"model\":\"bench-upstream\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \"},\"finish_reason\":null}],\"usage\":null}";
  static final String USAGE = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
      + "\"model\":\"bench-upstream\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17}}";
  static final String EMBEDDING = "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
      + "\"embedding\":[0.1,0.2,0.3]}],\"model\":\"bench-embed\",\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}";
  static final String MODELS = "{\"object\":\"list\",\"data\":[{\"id\":\"bench-upstream\",\"object\":\"model\","
      + "\"created\":1700000000,\"owned_by\":\"bench\"}]}";

  enum Mode { NONE, RATE_LIMIT, SERVER_ERROR, TIMEOUT, CUT, TRICKLE }

  record Fault(Mode mode, int retryAfterSeconds, long trickleMs) {
    static final Fault NONE = new Fault(Mode.NONE, 2, 200);
  }

  static volatile Fault fault = Fault.NONE;
  static final AtomicLong primary = new AtomicLong();
  static final AtomicLong backup = new AtomicLong();
  static final AtomicLong other = new AtomicLong();

  static Vertx vertx;
  static long latency;

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    latency = Long.parseLong(args[1]);
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    // Extra ports serve the same endpoints: providers that live on different hosts in real life
    // get their own port here, so a gateway keeps one connection pool per provider as it would.
    for (int i = 2; i <= args.length; i++) {
      int p = i == 2 ? port : Integer.parseInt(args[i - 1]);
      vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(p).setTcpNoDelay(true))
          .requestHandler(req -> req.body().onSuccess(body -> handle(req, body.toString())))
          .listen().await();
      System.out.println("mock upstream on 127.0.0.1:" + p + " latency " + latency + " ms");
    }
  }

  static void handle(HttpServerRequest req, String body) {
    String path = req.path();
    if (path.equals("/_fault")) {
      setFault(req);
      return;
    }
    if (path.equals("/_stats")) {
      req.response().end("primary=" + primary.get() + " backup=" + backup.get() + " other=" + other.get() + "\n");
      return;
    }
    boolean faulty = path.startsWith("/primary/");
    (faulty ? primary : path.startsWith("/backup/") ? backup : other).incrementAndGet();
    Fault f = faulty ? fault : Fault.NONE;
    HttpServerResponse res = req.response();
    // Status faults hit every endpoint, key probes (GET /models) included, as a real outage would.
    switch (f.mode()) {
      case RATE_LIMIT -> {
        error(res, 429).putHeader("retry-after", Integer.toString(f.retryAfterSeconds()));
        res.end(errorBody("rate_limit_exceeded", "Rate limit reached for requests"));
        return;
      }
      case SERVER_ERROR -> {
        error(res, 500);
        res.end(errorBody("server_error", "The server had an error while processing your request"));
        return;
      }
      case TIMEOUT -> {
        return; // never answer; the caller gives up and closes the connection
      }
      default -> { }
    }
    if (path.endsWith("/models")) {
      res.putHeader("content-type", "application/json").end(MODELS);
      return;
    }
    boolean stream = body.contains("\"stream\":true") || body.contains("\"stream\": true");
    String json = path.endsWith("/embeddings") ? EMBEDDING : JSON;
    vertx.setTimer(latency, t -> {
      if (stream) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          events.add("data: " + CHUNK + "\n\n");
        }
        events.add("data: " + USAGE + "\n\n");
        events.add("data: [DONE]\n\n");
        res.setChunked(true).putHeader("content-type", "text/event-stream");
        switch (f.mode()) {
          case CUT -> {
            res.write(events.get(0) + events.get(1));
            vertx.setTimer(5, t2 -> req.connection().close());
          }
          case TRICKLE -> trickle(res, events, 0, f.trickleMs());
          default -> {
            res.write(events.get(0));
            res.end(String.join("", events.subList(1, events.size())));
          }
        }
      } else {
        res.putHeader("content-type", "application/json");
        switch (f.mode()) {
          case CUT -> {
            res.putHeader("content-length", Integer.toString(json.length()));
            res.write(json.substring(0, json.length() / 2));
            vertx.setTimer(5, t2 -> req.connection().close());
          }
          case TRICKLE -> {
            res.setChunked(true);
            List<String> pieces = new ArrayList<>();
            int step = (json.length() + 7) / 8;
            for (int i = 0; i < json.length(); i += step) {
              pieces.add(json.substring(i, Math.min(json.length(), i + step)));
            }
            trickle(res, pieces, 0, f.trickleMs());
          }
          default -> res.end(json);
        }
      }
    });
  }

  static void trickle(HttpServerResponse res, List<String> pieces, int i, long gapMs) {
    if (res.closed()) {
      return;
    }
    if (i == pieces.size() - 1) {
      res.end(pieces.get(i));
      return;
    }
    res.write(pieces.get(i));
    vertx.setTimer(gapMs, t -> trickle(res, pieces, i + 1, gapMs));
  }

  static HttpServerResponse error(HttpServerResponse res, int status) {
    return res.setStatusCode(status).putHeader("content-type", "application/json");
  }

  static String errorBody(String code, String message) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + code + "\",\"param\":null,\"code\":\"" + code + "\"}}";
  }

  static void setFault(HttpServerRequest req) {
    String mode = req.getParam("mode", "none");
    Mode m;
    try {
      m = Mode.valueOf(mode.toUpperCase());
    } catch (IllegalArgumentException e) {
      req.response().setStatusCode(400).end("unknown mode '" + mode + "'; known: none rate_limit server_error timeout cut trickle\n");
      return;
    }
    fault = new Fault(m, Integer.parseInt(req.getParam("retry_after", "2")),
        Long.parseLong(req.getParam("trickle_ms", "200")));
    req.response().end("fault " + m.name().toLowerCase() + "\n");
  }
}
