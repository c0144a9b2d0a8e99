package dev.palisade.gateway.server;

import dev.palisade.gateway.ExitCode;
import dev.palisade.gateway.GatewayException;
import dev.palisade.gateway.stream.TokenEstimator;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** Starts and stops the gateway: one {@link GatewayVerticle} per event loop on a shared port. */
public final class GatewayServer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger("dev.palisade.gateway");

  private final Vertx vertx;
  private final GatewayRuntime runtime;
  private final int port;

  private GatewayServer(Vertx vertx, GatewayRuntime runtime, int port) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.port = port;
  }

  public static GatewayServer start(GatewayRuntime runtime) {
    int loops = runtime.config.server().eventLoops();
    TokenEstimator.warmUp();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(false));
    try {
      // One deployment of N instances on one port: Vert.x shares the listening socket among
      // them (and, for port 0, the one random port) and spreads connections over the loops.
      List<GatewayVerticle> instances = new CopyOnWriteArrayList<>();
      vertx.deployVerticle(() -> {
            GatewayVerticle v = new GatewayVerticle(runtime, runtime.config.server().port());
            instances.add(v);
            return v;
          }, new DeploymentOptions().setInstances(loops)).await(30, TimeUnit.SECONDS);
      GatewayVerticle first = instances.get(0);
      int port = first.actualPort();
      vertx.runOnContext(v -> new KeyProber(vertx, first.client(), runtime).start());
      runtime.authenticator.warmUp();
      runtime.ready = true;
      String scheme = runtime.config.server().tls() == null ? "http" : "https";
      LOG.info(() -> "gateway listening on " + scheme + "://" + runtime.config.server().host() + ":" + port
          + " with " + loops + " event loop(s)");
      return new GatewayServer(vertx, runtime, port);
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

  public GatewayRuntime runtime() {
    return runtime;
  }

  @Override
  public void close() {
    runtime.ready = false;
    runtime.authenticator.close();
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warning(() -> "shutdown did not finish cleanly: " + e.getMessage());
    }
  }
}
