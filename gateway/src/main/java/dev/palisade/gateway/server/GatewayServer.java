package dev.palisade.gateway.server;

import dev.palisade.gateway.ExitCode;
import dev.palisade.gateway.GatewayException;
import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.stream.TokenEstimator;
import dev.palisade.gateway.tls.ServerTlsMaterial;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Starts and stops the gateway: one {@link GatewayVerticle} per event loop on a shared port.
 * Swaps the runtime on a reload and drains on shutdown.
 */
public final class GatewayServer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger("dev.palisade.gateway");

  private final Vertx vertx;
  private final LiveRuntime live;
  private final List<GatewayVerticle> instances;
  private final int port;
  private KeyProber prober;
  private boolean closed;
  /** What new TLS handshakes get; null for plain HTTP. Replaced by {@link #updateTls}. */
  private volatile ServerTlsMaterial tls;

  private GatewayServer(Vertx vertx, LiveRuntime live, List<GatewayVerticle> instances, int port, ServerTlsMaterial tls) {
    this.vertx = vertx;
    this.live = live;
    this.instances = instances;
    this.port = port;
    this.tls = tls;
  }

  public static GatewayServer start(GatewayRuntime runtime) {
    int loops = runtime.config.server().eventLoops();
    TokenEstimator.warmUp();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(false));
    LiveRuntime live = new LiveRuntime(runtime);
    ServerTlsMaterial tls = null;
    if (runtime.config.server().tls() != null) {
      try {
        // Checked as a rotation is checked: an expired or mismatched pair stops the start.
        tls = ServerTlsMaterial.load(runtime.config.server().tls(), runtime.clock.instant(), vertx);
      } catch (ServerTlsMaterial.InvalidMaterialException e) {
        vertx.close();
        throw new GatewayException(ExitCode.CONFIG, "server.tls: " + e.getMessage());
      }
    }
    ServerTlsMaterial firstTls = tls;
    try {
      // One deployment of N instances on one port: Vert.x shares the listening socket among
      // them (and, for port 0, the one random port) and spreads connections over the loops.
      List<GatewayVerticle> instances = new CopyOnWriteArrayList<>();
      vertx.deployVerticle(() -> {
            GatewayVerticle v = new GatewayVerticle(live, runtime.config.server().port(), firstTls);
            instances.add(v);
            return v;
          }, new DeploymentOptions().setInstances(loops)).await(30, TimeUnit.SECONDS);
      int port = instances.get(0).actualPort();
      GatewayServer server = new GatewayServer(vertx, live, instances, port, firstTls);
      server.startProber(runtime);
      runtime.authenticator.warmUp();
      live.ready(true);
      String scheme = runtime.config.server().tls() == null ? "http" : "https";
      LOG.info(() -> "gateway listening on " + scheme + "://" + runtime.config.server().host() + ":" + port
          + " with " + loops + " event loop(s)");
      return server;
    } catch (Exception e) {
      vertx.close();
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new GatewayException(ExitCode.STARTUP,
          "cannot listen on " + runtime.config.server().host() + ":" + runtime.config.server().port()
              + ": " + cause.getMessage());
    }
  }

  public int port() {
    return port;
  }

  /** The runtime new requests get. */
  public GatewayRuntime runtime() {
    return live.current();
  }

  public Vertx vertx() {
    return vertx;
  }

  public boolean ready() {
    return live.ready();
  }

  /** The TLS material new handshakes get; null when the gateway speaks plain HTTP. */
  public ServerTlsMaterial tls() {
    return tls;
  }

  /**
   * Serves {@code next} to new TLS handshakes on every event loop; connections already open keep
   * the certificate they were made with. Fails, with the old material still served, if Vert.x
   * refuses it.
   */
  public synchronized Future<Void> updateTls(ServerTlsMaterial next) {
    if (tls == null) {
      return Future.failedFuture(new IllegalStateException("the gateway was started without server.tls"));
    }
    io.vertx.core.net.ServerSSLOptions options = next.options();
    return Future.all(instances.stream().map(v -> v.updateTls(options)).toList()).map(v -> {
      tls = next;
      return null;
    });
  }

  /**
   * Makes {@code next} the config of new requests: seeds the consumer store with its consumers,
   * builds the next runtime over the same stores and swaps it in. Requests in flight keep theirs.
   * Fails, with nothing changed, if the config's consumers clash with admin-made ones.
   */
  /** How long a replaced runtime's authenticator is kept for requests that began before a reload. */
  private static final Duration RETIRE_AFTER = Duration.ofMinutes(2);

  public synchronized Future<GatewayRuntime> apply(GatewayConfig next) {
    GatewayRuntime old = live.current();
    List<String> conflicts = old.consumerStore.seedConflicts(next.consumers());
    if (!conflicts.isEmpty()) {
      return Future.failedFuture(new dev.palisade.gateway.config.ConfigException(String.join("; ", conflicts)));
    }
    GatewayRuntime fresh;
    try {
      fresh = old.next(next);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return old.consumerStore.seed(next.consumers()).map(v -> {
      synchronized (this) {
        live.swap(fresh);
        startProber(fresh);
      }
      // The old authenticator may still be finishing a JWKS fetch for a request that started
      // before the swap; its JWKS thread is released once such requests are long done.
      vertx.setTimer(RETIRE_AFTER.toMillis(), id -> old.authenticator.close());
      return fresh;
    });
  }

  private synchronized void startProber(GatewayRuntime runtime) {
    KeyProber previous = prober;
    KeyProber next = new KeyProber(vertx, instances.get(0).client(), runtime);
    prober = next;
    vertx.runOnContext(v -> {
      if (previous != null) {
        previous.stop();
      }
      next.start();
    });
  }

  /**
   * Graceful shutdown: /readyz answers 503 at once, the listening socket closes (new connections
   * are refused), requests and streams in flight get up to {@code deadline} to finish; the ones
   * still running then end with an error (an SSE error event for streams) and the rest closes.
   */
  public synchronized DrainReport shutdown(Duration deadline) {
    if (closed) {
      return new DrainReport(0, 0, Duration.ZERO);
    }
    closed = true;
    live.ready(false);
    long t0 = System.nanoTime();
    int running = 0;
    int ended = 0;
    try {
      List<Future<int[]>> drains = instances.stream().map(v -> v.drain(deadline)).toList();
      Future.all(drains).await(deadline.toMillis() + 10_000, TimeUnit.MILLISECONDS);
      for (Future<int[]> d : drains) {
        running += d.result()[0];
        ended += d.result()[1];
      }
    } catch (Exception e) {
      LOG.warning(() -> "draining did not finish cleanly: " + e.getMessage());
    }
    closeVertx();
    return new DrainReport(running, ended, Duration.ofNanos(System.nanoTime() - t0));
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    live.ready(false);
    closeVertx();
  }

  private void closeVertx() {
    live.current().authenticator.close();
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warning(() -> "shutdown did not finish cleanly: " + e.getMessage());
    }
  }
}
