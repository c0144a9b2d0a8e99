package dev.palisade.gateway.reload;

import dev.palisade.gateway.config.ServerTls;
import dev.palisade.gateway.metrics.Counter;
import dev.palisade.gateway.metrics.Gauge;
import dev.palisade.gateway.metrics.GatewayMetrics;
import dev.palisade.gateway.server.GatewayServer;
import dev.palisade.gateway.tls.PemFiles;
import dev.palisade.gateway.tls.ServerTlsMaterial;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Serves rotated certificate, key and client CA files without a restart. The files named by the
 * {@code server.tls} the gateway started with are read again, checked as a whole
 * ({@link ServerTlsMaterial}: chain parses, leaf within its validity, key belongs to the leaf,
 * client CAs parse) and only then handed to every listener instance; a bad set is refused,
 * logged (file and reason, never key material or the key password) and counted, and the
 * certificate in use keeps serving. Connections already open keep their session; new handshakes
 * get the new certificate.
 *
 * <p>A changed {@code server.tls} section (other paths, client_auth, key password) still needs a
 * restart: this reloads the files, not the settings.
 */
public final class CertificateReloader {

  private static final Logger LOG = Logger.getLogger("dev.palisade.gateway.reload");

  private final GatewayServer server;
  private final Clock clock;
  private final Counter reloads;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "gateway-tls-reload");
    t.setDaemon(true);
    return t;
  });

  /** {@code server} must have been started with {@code server.tls}. */
  public CertificateReloader(GatewayServer server, GatewayMetrics metrics, Clock clock) {
    if (server.tls() == null) {
      throw new IllegalArgumentException("the gateway was started without server.tls");
    }
    this.server = server;
    this.clock = clock;
    this.reloads = metrics.tlsReloads;
    metrics.gauge("gateway_tls_certificate_expiry_seconds",
        "notAfter of the certificate new TLS handshakes get, in seconds since the epoch.", List.of(),
        out -> out.accept(new Gauge.Sample(List.of(), server.tls().leaf().getNotAfter().getTime() / 1000.0)));
  }

  /** The files being served, as the start read them from {@code server.tls}. */
  public ServerTls files() {
    return server.tls().source();
  }

  /** The content hash of the files being served (see {@link ServerTlsMaterial#filesSha256()}). */
  public String servingSha256() {
    return server.tls().filesSha256();
  }

  /**
   * Reloads on the reloader's own thread (reading files and building SSL contexts block); never
   * fails: the result says what happened. Completes on the caller's Vert.x context, if any.
   */
  public Future<TlsReloadResult> reload(String trigger) {
    Context caller = Vertx.currentContext();
    Promise<TlsReloadResult> done = Promise.promise();
    thread.execute(() -> {
      TlsReloadResult result = reloadNow(trigger);
      if (caller != null) {
        caller.runOnContext(v -> done.complete(result));
      } else {
        done.complete(result);
      }
    });
    return done.future();
  }

  /** As {@link #reload}, on the calling thread, which must not be a Vert.x thread. */
  public synchronized TlsReloadResult reloadNow(String trigger) {
    ServerTlsMaterial serving = server.tls();
    ServerTlsMaterial next;
    try {
      if (ServerTlsMaterial.filesSha256(serving.source()).equals(serving.filesSha256())) {
        return result(TlsReloadResult.Outcome.UNCHANGED, serving, null);
      }
      next = ServerTlsMaterial.load(serving.source(), clock.instant(), server.vertx());
    } catch (ServerTlsMaterial.InvalidMaterialException | PemFiles.PemException e) {
      return refused(trigger, serving, e.getMessage());
    } catch (RuntimeException e) {
      // Never leave a reload unanswered; the message is not echoed (it could quote file content).
      return refused(trigger, serving, serving.source().certFile() + ", " + serving.source().keyFile()
          + ": unexpected " + e.getClass().getSimpleName() + " while checking the files");
    }
    try {
      server.updateTls(next).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Vert.x parses the same bytes again; with the checks above this should not happen.
      return refused(trigger, serving, "the TLS listener did not take the new files: " + e.getClass().getSimpleName());
    }
    reloads.inc("ok");
    boolean sameLeaf = next.leaf().equals(serving.leaf());
    LOG.info(() -> "TLS certificate reloaded (" + trigger + "): now serving " + next.describe()
        + (sameLeaf ? " (same certificate; the key or client CA file changed)"
            : " (was serial " + serving.leaf().getSerialNumber().toString(16) + ")"));
    return result(TlsReloadResult.Outcome.APPLIED, next, null);
  }

  private TlsReloadResult refused(String trigger, ServerTlsMaterial serving, String error) {
    reloads.inc("refused");
    LOG.warning(() -> "TLS certificate reload refused (" + trigger + "), still serving " + serving.describe() + ": " + error);
    return result(TlsReloadResult.Outcome.REFUSED, serving, error);
  }

  private static TlsReloadResult result(TlsReloadResult.Outcome outcome, ServerTlsMaterial serving, String error) {
    return new TlsReloadResult(outcome, serving.leaf().getSerialNumber().toString(16),
        serving.leaf().getNotAfter().toInstant(), error);
  }

  /** Stops the reload thread (after the reload under way, if any). */
  public void close() {
    thread.shutdown();
  }
}
