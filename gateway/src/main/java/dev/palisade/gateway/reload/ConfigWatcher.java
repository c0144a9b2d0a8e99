package dev.palisade.gateway.reload;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reloads the config when the file's content changes. It polls and hashes the file instead of
 * using inotify: Kubernetes updates a mounted ConfigMap by swapping a symlinked directory and
 * editors save by rename, and both slip past a watch on the file itself, while reading a few
 * kilobytes once a second costs nothing. A new content is applied only after it has stayed the
 * same for the debounce time, so a file caught half-written is not loaded.
 */
public final class ConfigWatcher implements AutoCloseable {

  static final String TRIGGER = "file change";

  private final DebouncedWatch watch;

  public ConfigWatcher(Vertx vertx, Path file, ConfigReloader reloader, Duration pollInterval, Duration debounce,
      java.util.function.Consumer<ReloadResult> onReload) {
    this.watch = new DebouncedWatch(vertx, () -> ConfigReloader.sha256Of(file), reloader::appliedSha256,
        sha -> reloader.reload(TRIGGER).map(result -> {
          onReload.accept(result);
          return result.outcome() == ReloadResult.Outcome.REFUSED;
        }),
        e -> "config watch: cannot read " + file + " (" + (e instanceof IOException
            ? e.getClass().getSimpleName() : e.getMessage()) + "); the config in use keeps serving",
        pollInterval, debounce);
  }

  @Override
  public void close() {
    watch.close();
  }
}
