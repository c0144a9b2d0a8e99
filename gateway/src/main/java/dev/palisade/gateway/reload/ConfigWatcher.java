package dev.palisade.gateway.reload;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Reloads the config when the file's content changes. It polls and hashes the file instead of
 * using inotify: Kubernetes updates a mounted ConfigMap by swapping a symlinked directory and
 * editors save by rename, and both slip past a watch on the file itself, while reading a few
 * kilobytes once a second costs nothing. A new content is applied only after it has stayed the
 * same for the debounce time, so a file caught half-written is not loaded.
 */
public final class ConfigWatcher implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger("dev.palisade.gateway.reload");
  static final String TRIGGER = "file change";

  private final Vertx vertx;
  private final Path file;
  private final ConfigReloader reloader;
  private final Duration debounce;
  private final java.util.function.Consumer<ReloadResult> onReload;
  private final long timer;
  private String seen;
  private long seenSinceNanos;
  private boolean busy;
  private boolean unreadableReported;

  public ConfigWatcher(Vertx vertx, Path file, ConfigReloader reloader, Duration pollInterval, Duration debounce,
      java.util.function.Consumer<ReloadResult> onReload) {
    this.vertx = vertx;
    this.onReload = onReload;
    this.file = file;
    this.reloader = reloader;
    this.debounce = debounce;
    this.seen = reloader.appliedSha256();
    this.timer = vertx.setPeriodic(pollInterval.toMillis(), id -> poll());
  }

  private void poll() {
    if (busy) {
      return;
    }
    busy = true;
    vertx.executeBlocking(() -> ConfigReloader.sha256Of(file), false).onComplete(ar -> {
      if (ar.failed()) {
        busy = false;
        if (!unreadableReported) {
          unreadableReported = true;
          LOG.warning(() -> "config watch: cannot read " + file + " (" + (ar.cause() instanceof IOException
              ? ar.cause().getClass().getSimpleName() : ar.cause().getMessage()) + "); the config in use keeps serving");
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
      // A refused content is not retried until the file changes again (seen stays on it).
      if (settled && !sha.equals(reloader.appliedSha256()) && !sha.equals(lastRefused)) {
        reloader.reload(TRIGGER).onComplete(r -> {
          if (r.succeeded()) {
            if (r.result().outcome() == ReloadResult.Outcome.REFUSED) {
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

  private String lastRefused;

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
