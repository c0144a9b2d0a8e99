package dev.palisade.gateway.reload;

import dev.palisade.gateway.config.ServerTls;
import dev.palisade.gateway.tls.ServerTlsMaterial;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Reloads the TLS certificate when the certificate, key or client CA file changes, the way
 * {@link ConfigWatcher} does for the config: it polls and hashes the three files (symlinks
 * followed, so cert-manager's swap of the {@code ..data} symlink of a mounted Secret is seen like
 * a rewrite in place) and reloads once the content has stayed the same for the debounce time, so
 * a certificate written before its key is not loaded as a mismatched pair. A refused content is
 * not tried again until the files change again.
 */
public final class CertificateWatcher implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger("dev.palisade.gateway.reload");

  private final Vertx vertx;
  private final ServerTls files;
  private final CertificateReloader reloader;
  private final Duration debounce;
  private final Consumer<TlsReloadResult> onReload;
  private final long timer;
  private String seen;
  private long seenSinceNanos;
  private String lastRefused;
  private boolean busy;
  private boolean unreadableReported;

  public CertificateWatcher(Vertx vertx, CertificateReloader reloader, Duration pollInterval,
      Duration debounce, Consumer<TlsReloadResult> onReload) {
    this.vertx = vertx;
    this.files = reloader.files();
    this.reloader = reloader;
    this.debounce = debounce;
    this.onReload = onReload;
    this.seen = reloader.servingSha256();
    this.timer = vertx.setPeriodic(pollInterval.toMillis(), id -> poll());
  }

  private void poll() {
    if (busy) {
      return;
    }
    busy = true;
    vertx.executeBlocking(() -> ServerTlsMaterial.filesSha256(files), false).onComplete(ar -> {
      if (ar.failed()) {
        busy = false;
        // Mid-swap a file may be missing for a moment; say so once, not every poll.
        if (!unreadableReported) {
          unreadableReported = true;
          LOG.warning(() -> "certificate watch: " + ar.cause().getMessage() + "; the certificate in use keeps serving");
        }
        return;
      }
      unreadableReported = false;
      String sha = ar.result();
      long now = System.nanoTime();
      if (!sha.equals(seen)) {
        seen = sha;
        seenSinceNanos = now;
      }
      boolean settled = now - seenSinceNanos >= debounce.toNanos();
      if (settled && !sha.equals(reloader.servingSha256()) && !sha.equals(lastRefused)) {
        reloader.reload("file change").onComplete(r -> {
          if (r.succeeded()) {
            if (r.result().outcome() == TlsReloadResult.Outcome.REFUSED) {
              lastRefused = sha;
            }
            onReload.accept(r.result());
          }
          busy = false;
        });
      } else {
        busy = false;
      }
    });
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
