// A mock OpenAI upstream with a fixed latency, for bench/gateway/run.sh. Run with the Vert.x that
// the gateway jar already contains:  java -cp gateway/target/gateway.jar MockUpstream.java PORT LATENCY_MS
// JSON: answers after LATENCY_MS. SSE: sends the first chunk after LATENCY_MS, then the rest
// (5 content chunks, a usage chunk, [DONE]) at once.
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;

public class MockUpstream {
  static final String JSON = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
      + "\"model\":\"bench-upstream\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"Hello there, this is a benchmark answer.\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":8,\"total_tokens\":20}}";
  static final String CHUNK = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
      + "\"model\":\"bench-upstream\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \"},\"finish_reason\":null}],\"usage\":null}";
  static final String USAGE = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
      + "\"model\":\"bench-upstream\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17}}";

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    long latency = Long.parseLong(args[1]);
    StringBuilder rest = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      rest.append("data: ").append(CHUNK).append("\n\n");
    }
    rest.append("data: ").append(USAGE).append("\n\ndata: [DONE]\n\n");
    String tail = rest.toString();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
        .requestHandler(req -> req.body().onSuccess(body -> {
          boolean stream = body.toString().contains("\"stream\":true");
          if (stream) {
            vertx.setTimer(latency, t -> {
              req.response().setChunked(true).putHeader("content-type", "text/event-stream");
              req.response().write("data: " + CHUNK + "\n\n");
              req.response().end(tail);
            });
          } else {
            vertx.setTimer(latency, t ->
                req.response().putHeader("content-type", "application/json").end(JSON));
          }
        }))
        .listen().await();
    System.out.println("mock upstream on 127.0.0.1:" + port + " latency " + latency + " ms");
  }
}
