import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Bench-only control, not a product: the smallest Vert.x reverse proxy on the gateway's pinned
 * stack (one event loop per CPU it may use, as the gateway by default, one HTTP client per loop),
 * no auth, quotas or metrics. What it adds over
 * direct is the cost of the stack and JVM; what the gateway adds beyond it is the gateway's own.
 * Usage: BareVertxProxy listen_port upstream_port
 */
public class BareVertxProxy extends AbstractVerticle {
  static int listen, upstream;

  public static void main(String[] args) {
    listen = Integer.parseInt(args[0]);
    upstream = Integer.parseInt(args[1]);
    int loops = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    vertx.deployVerticle(BareVertxProxy::new, new DeploymentOptions().setInstances(loops)).await();
    System.out.println("bare proxy on 127.0.0.1:" + listen);
  }

  @Override
  public void start() {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(256).setMaxWaitQueueSize(4096));
    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(listen).setTcpNoDelay(true))
        .requestHandler(req -> req.body().onSuccess(body -> {
          RequestOptions o = new RequestOptions().setMethod(req.method()).setHost("127.0.0.1").setPort(upstream)
              .setURI(req.uri()).putHeader("content-type", "application/json");
          client.request(o).compose(r -> r.send(body)).onComplete(ar -> {
            if (ar.failed()) {
              req.response().setStatusCode(502).end();
              return;
            }
            var up = ar.result();
            var res = req.response().setStatusCode(up.statusCode());
            String type = up.getHeader("content-type");
            if (type != null) res.putHeader("content-type", type);
            // A body of known length keeps it (Vert.x refuses a write that is neither chunked nor of
            // a declared length: without this, every JSON answer here was an empty 200).
            String length = up.getHeader("content-length");
            if (length != null) {
              res.putHeader("content-length", length);
            } else {
              res.setChunked(true);
            }
            up.handler(res::write);
            up.endHandler(v -> res.end());
          });
        }))
        .listen();
  }
}
