package dev.palisade.gateway.reload;

import dev.palisade.gateway.config.ServerTls;
import dev.palisade.gateway.tls.ServerTlsMaterial;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Reloads the TLS certificate when the certificate, key or client CA file changes, the way
 * {@link ConfigWatcher} does for the config: it polls and hashes the three files (symlinks
 * followed, so cert-manager's swap of the {@code ..data} symlink of a mounted Secret is seen like
 * a rewrite in place) and reloads once the content has stayed the same for the debounce time, so
 * a certificate written before its key is not loaded as a mismatched pair. A refused content is
 * not tried again until the files change again.
 */
public final class CertificateWatcher implements AutoCloseable {

  private final DebouncedWatch watch;

  public CertificateWatcher(Vertx vertx, CertificateReloader reloader, Duration pollInterval,
      Duration debounce, Consumer<TlsReloadResult> onReload) {
    ServerTls files = reloader.files();
    this.watch = new DebouncedWatch(vertx, () -> ServerTlsMaterial.filesSha256(files), reloader::servingSha256,
        sha -> reloader.reload("file change").map(result -> {
          onReload.accept(result);
          return result.outcome() == TlsReloadResult.Outcome.REFUSED;
        }),
        // Mid-swap a file may be missing for a moment; the watch says so once, not every poll.
        e -> "certificate watch: " + e.getMessage() + "; the certificate in use keeps serving",
        pollInterval, debounce);
  }

  @Override
  public void close() {
    watch.close();
  }
}
