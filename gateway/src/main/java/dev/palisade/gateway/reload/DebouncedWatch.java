package dev.palisade.gateway.reload;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The polling loop both file watchers share: hash the watched content off the event loop, and
 * once a new hash has stayed the same for the debounce time (so a file caught half-written, or a
 * certificate written before its key, is never loaded), run the reload. A content the reload
 * refused is not tried again until it changes again; an unreadable file is reported once, not at
 * every poll. Runs on the event loop of the Vert.x instance it was made with.
 */
final class DebouncedWatch implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger("dev.palisade.gateway.reload");

  private final Vertx vertx;
  private final Callable<String> hash;
  private final Supplier<String> inUse;
  private final Function<String, Future<Boolean>> reload;
  private final Function<Throwable, String> unreadable;
  private final Duration debounce;
  private final long timer;
  private String seen;
  private long seenSinceNanos;
  private String lastRefused;
  private boolean busy;
  private boolean unreadableReported;

  /**
   * @param hash the watched content's SHA-256 (blocking: file reads)
   * @param inUse the hash of the content being served now
   * @param reload runs the reload; its Future holds true when the content was refused
   * @param unreadable the warning for a hash that failed (no secret material)
   */
  DebouncedWatch(Vertx vertx, Callable<String> hash, Supplier<String> inUse,
      Function<String, Future<Boolean>> reload, Function<Throwable, String> unreadable,
      Duration pollInterval, Duration debounce) {
    this.vertx = vertx;
    this.hash = hash;
    this.inUse = inUse;
    this.reload = reload;
    this.unreadable = unreadable;
    this.debounce = debounce;
    this.seen = inUse.get();
    this.timer = vertx.setPeriodic(pollInterval.toMillis(), id -> poll());
  }

  private void poll() {
    if (busy) {
      return;
    }
    busy = true;
    vertx.executeBlocking(hash, false).onComplete(ar -> {
      if (ar.failed()) {
        busy = false;
        if (!unreadableReported) {
          unreadableReported = true;
          LOG.warning(() -> unreadable.apply(ar.cause()));
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
      if (settled && !sha.equals(inUse.get()) && !sha.equals(lastRefused)) {
        reload.apply(sha).onComplete(r -> {
          if (r.succeeded() && r.result()) {
            lastRefused = sha;
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
