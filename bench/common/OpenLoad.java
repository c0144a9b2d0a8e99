// An open-loop, fixed-rate HTTP load generator for the gateway benchmarks. Requests are due at
// start + i/RATE whatever happens to earlier ones, and every latency is measured from the time the
// request was *due*, not from when a connection was free: a stalled server cannot hide its stall by
// slowing the generator down (no coordinated omission). Run with the Vert.x in the gateway jar:
//   java -cp gateway/target/gateway.jar bench/common/OpenLoad.java --url URL --rate R --seconds S
//        [--sse-fraction F] [--model M] [--header 'Name: value']... [--timeout-ms T] [--max-conns N]
//        [--warmup-seconds W]
// The Authorization header comes from the environment variable OPENLOAD_AUTH when set (keys stay
// off the command line, where every local user can read them).
// The first W seconds (default 2) run at the same rate but are not counted: they open connections
// and let the generator's own JIT settle, which would otherwise show up as server latency.
// Prints one line of key=value figures: counts per client-visible outcome, latency p50/p90/p99/max
// (ms, due time to the last byte) and, for streams, time to first byte p50/p99 (due time to the
// first body byte). Outcomes: ok (200 with a complete body: JSON with choices, or SSE ending in
// [DONE]), sse_error_event (200 stream that ended with an error event and no [DONE]),
// sse_truncated (200 stream that ended with neither), bad_body, status_NNN, client_timeout,
// conn_error.
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

public class OpenLoad {
  static final Map<String, Long> outcomes = new TreeMap<>();
  static long[] latencyMicros;
  static long[] ttfbMicros;
  static int latencyCount;
  static int ttfbCount;
  static long maxLagMicros;
  static long counted; // requests with an index below this are warm-up, not counted

  public static void main(String[] args) throws Exception {
    String url = null;
    String model = "bench-model";
    double rate = 0;
    double seconds = 0;
    double sseFraction = 0;
    double warmupSeconds = 2;
    long timeoutMs = 30_000;
    int maxConns = 2048;
    List<String[]> headers = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--url" -> url = v;
        case "--model" -> model = v;
        case "--rate" -> rate = Double.parseDouble(v);
        case "--seconds" -> seconds = Double.parseDouble(v);
        case "--sse-fraction" -> sseFraction = Double.parseDouble(v);
        case "--timeout-ms" -> timeoutMs = Long.parseLong(v);
        case "--max-conns" -> maxConns = Integer.parseInt(v);
        case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(v);
        case "--header" -> {
          int colon = v.indexOf(':');
          if (colon < 1) {
            usage("--header needs 'Name: value', got '" + v + "'");
          }
          headers.add(new String[] {v.substring(0, colon).trim(), v.substring(colon + 1).trim()});
        }
        default -> usage("unknown argument '" + args[i] + "'");
      }
      i++;
    }
    String auth = System.getenv("OPENLOAD_AUTH");
    if (auth != null && !auth.isEmpty()) {
      headers.add(new String[] {"Authorization", auth});
    }
    if (url == null || rate <= 0 || seconds <= 0 || sseFraction < 0 || sseFraction > 1) {
      usage("--url, --rate > 0 and --seconds > 0 are required; --sse-fraction within 0..1");
    }
    long warmup = (long) Math.floor(rate * warmupSeconds);
    long total = warmup + (long) Math.floor(rate * seconds);
    counted = warmup;
    latencyMicros = new long[(int) total];
    ttfbMicros = new long[(int) total];
    String json = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"max_tokens\":16}";
    String sse = "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"max_tokens\":16}";
    Buffer jsonBody = Buffer.buffer(json);
    Buffer sseBody = Buffer.buffer(sse);

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClientAgent client = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setMaxInitialLineLength(8192),
        new PoolOptions().setHttp1MaxSize(maxConns).setMaxWaitQueueSize(-1));
    CountDownLatch done = new CountDownLatch((int) total);
    long intervalNanos = (long) (1e9 / rate);
    final double fraction = sseFraction;
    final long timeout = timeoutMs;
    final String target = url;
    long start = System.nanoTime() + 50_000_000L;
    long[] next = {0};
    vertx.runOnContext(v0 -> vertx.setPeriodic(1, id -> {
      long now = System.nanoTime();
      while (next[0] < total && start + next[0] * intervalNanos <= now) {
        long i = next[0]++;
        long due = start + i * intervalNanos;
        if (i >= counted) {
          maxLagMicros = Math.max(maxLagMicros, (now - due) / 1000);
        }
        // Spread streams evenly: request i is a stream when the running share falls behind.
        boolean stream = Math.floor((i + 1) * fraction) > Math.floor(i * fraction);
        send(client, target, headers, stream ? sseBody : jsonBody, stream, due, timeout, done, i >= counted);
      }
      if (next[0] >= total) {
        vertx.cancelTimer(id);
      }
    }));
    boolean finished = done.await((long) ((seconds + warmupSeconds) * 1000) + timeoutMs + 10_000, TimeUnit.MILLISECONDS);
    vertx.close().await();
    long missing = finished ? 0 : done.getCount();
    StringBuilder out = new StringBuilder();
    out.append("sent=").append(total - warmup);
    for (Map.Entry<String, Long> e : outcomes.entrySet()) {
      out.append(' ').append(e.getKey()).append('=').append(e.getValue());
    }
    if (missing > 0) {
      out.append(" unfinished=").append(missing);
    }
    long[] lat = Arrays.copyOf(latencyMicros, latencyCount);
    long[] ttfb = Arrays.copyOf(ttfbMicros, ttfbCount);
    Arrays.sort(lat);
    Arrays.sort(ttfb);
    out.append(String.format(" p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f", pct(lat, 50), pct(lat, 90), pct(lat, 99), pct(lat, 100)));
    out.append(String.format(" ttfb_p50_ms=%.2f ttfb_p99_ms=%.2f", pct(ttfb, 50), pct(ttfb, 99)));
    out.append(String.format(" generator_lag_max_ms=%.2f", maxLagMicros / 1000.0));
    System.out.println(out);
  }

  static void send(HttpClientAgent client, String url, List<String[]> headers, Buffer body, boolean stream,
      long due, long timeoutMs, CountDownLatch done, boolean counts) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .setIdleTimeout(timeoutMs).putHeader("content-type", "application/json");
    for (String[] h : headers) {
      options.putHeader(h[0], h[1]);
    }
    boolean[] settled = {false};
    Runnable[] finish = new Runnable[1];
    client.request(options)
        .compose(req -> req.send(body))
        .onSuccess(res -> {
          Buffer received = Buffer.buffer();
          res.handler(chunk -> {
            if (received.length() == 0 && stream && counts) {
              record(null, System.nanoTime() - due, true);
            }
            received.appendBuffer(chunk);
          });
          res.exceptionHandler(err -> finish(settled, res.statusCode() == 200 && stream
              ? classifyStream(received.toString()) : "conn_error", due, done, counts));
          res.endHandler(v -> finish(settled, classify(res.statusCode(), received.toString(), stream), due, done, counts));
        })
        .onFailure(err -> finish(settled, isTimeout(err) ? "client_timeout" : "conn_error", due, done, counts));
  }

  static boolean isTimeout(Throwable err) {
    String name = err.getClass().getSimpleName() + " " + err.getMessage();
    return name.toLowerCase().contains("timeout") || name.toLowerCase().contains("timed out");
  }

  static String classify(int status, String body, boolean stream) {
    if (status != 200) {
      return "status_" + status;
    }
    if (stream) {
      return classifyStream(body);
    }
    return body.contains("\"choices\"") ? "ok" : "bad_body";
  }

  static String classifyStream(String body) {
    if (body.contains("data: [DONE]")) {
      return body.contains("\"error\"") ? "bad_body" : "ok";
    }
    return body.contains("data: {\"error\"") ? "sse_error_event" : "sse_truncated";
  }

  static synchronized void finish(boolean[] settled, String outcome, long due, CountDownLatch done, boolean counts) {
    if (settled[0]) {
      return;
    }
    settled[0] = true;
    if (counts) {
      outcomes.merge(outcome, 1L, Long::sum);
      record(outcome, System.nanoTime() - due, false);
    }
    done.countDown();
  }

  static synchronized void record(String outcome, long nanos, boolean ttfb) {
    if (ttfb) {
      if (ttfbCount < ttfbMicros.length) {
        ttfbMicros[ttfbCount++] = nanos / 1000;
      }
    } else if (latencyCount < latencyMicros.length) {
      latencyMicros[latencyCount++] = nanos / 1000;
    }
  }

  static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1000.0;
  }

  static void usage(String problem) {
    System.err.println("OpenLoad: " + problem);
    System.err.println("usage: OpenLoad --url URL --rate R --seconds S [--sse-fraction F] [--model M] [--header 'Name: value']... [--timeout-ms T] [--max-conns N] [--warmup-seconds W]");
    System.exit(2);
  }
}
