package dev.palisade.gateway.reload;

import dev.palisade.gateway.GatewayException;
import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.server.GatewayRuntime;
import dev.palisade.gateway.server.GatewayServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/**
 * Reloads the config file into a running gateway: reads it, validates it completely (secrets
 * decrypted), and swaps it in atomically; a bad config is refused, logged (redacted) and counted,
 * and the old one keeps serving. One reload runs at a time.
 */
public final class ConfigReloader {

  private static final Logger LOG = Logger.getLogger("dev.palisade.gateway.reload");

  private final GatewayServer server;
  private final ConfigSource source;
  /** What the process started with: restart-only settings are compared against it, every time. */
  private final GatewayConfig started;
  private String appliedSha256;
  /** Reloads the TLS files along with an admin-triggered reload; null without server.tls. */
  private final CertificateReloader certificates;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "gateway-config-reload");
    t.setDaemon(true);
    return t;
  });

  /** {@code startedSha256}: the content hash of the file the gateway started with. */
  public ConfigReloader(GatewayServer server, ConfigSource source, String startedSha256) {
    this(server, source, startedSha256, null);
  }

  /** {@code certificates}: also reloaded by {@link #reload}, except when the trigger is the config watch. */
  public ConfigReloader(GatewayServer server, ConfigSource source, String startedSha256,
      CertificateReloader certificates) {
    this.certificates = certificates;
    this.server = server;
    this.source = source;
    this.started = server.runtime().config();
    this.appliedSha256 = startedSha256;
  }

  /**
   * Reloads on the reloader's own thread (loading and decrypting block, and Vert.x forbids
   * waiting on its worker threads); never fails: the result says what happened. The Future
   * completes on the caller's Vert.x context, if it has one.
   */
  public Future<ReloadResult> reload(String trigger) {
    Context caller = Vertx.currentContext();
    Promise<ReloadResult> done = Promise.promise();
    thread.execute(() -> {
      ReloadResult config = reloadNow(trigger);
      // The certificate watch handles file changes on its own; an explicit reload does both, so
      // an operator can force a certificate reload without waiting for the watch (or without
      // one). The certificate files do not depend on the config, so a refused config does not
      // hold them back.
      ReloadResult result = certificates == null || trigger.equals(ConfigWatcher.TRIGGER)
          ? config : config.withTls(certificates.reloadNow(trigger));
      if (caller != null) {
        caller.runOnContext(v -> done.complete(result));
      } else {
        done.complete(result);
      }
    });
    return done.future();
  }

  /** Stops the reload thread (after the reload under way, if any). */
  public void close() {
    thread.shutdown();
  }

  /** The content hash of the config now in use. */
  public synchronized String appliedSha256() {
    return appliedSha256;
  }

  private synchronized ReloadResult reloadNow(String trigger) {
    GatewayRuntime running = server.runtime();
    String read = null;
    GatewayConfig next;
    try {
      read = sha256(Files.readAllBytes(source.file()));
      if (read.equals(appliedSha256)) {
        return count(new ReloadResult(ReloadResult.Outcome.UNCHANGED, read, List.of(), null));
      }
      next = source.load();
      server.apply(next).await();
    } catch (IOException e) {
      return refused(trigger, read, source.file() + ": cannot read: " + e.getMessage(), running);
    } catch (GatewayException | IllegalArgumentException e) {
      return refused(trigger, read, e.getMessage(), running);
    } catch (Exception e) {
      return refused(trigger, read, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(), running);
    }
    String sha = read;
    appliedSha256 = sha;
    List<String> restart = RestartRequired.between(started, next);
    LOG.info(() -> "config reloaded (" + trigger + ", sha256 " + sha.substring(0, 12) + ")"
        + (restart.isEmpty() ? "" : "; these changes need a restart and are not in effect: " + restart));
    return count(new ReloadResult(ReloadResult.Outcome.APPLIED, sha, restart, null));
  }

  private ReloadResult refused(String trigger, String sha, String error, GatewayRuntime running) {
    String safe = ErrorRedaction.redact(error, running.redactor());
    LOG.warning(() -> "config reload refused (" + trigger + "), the previous config keeps serving: " + safe);
    return count(new ReloadResult(ReloadResult.Outcome.REFUSED, sha, List.of(), safe));
  }

  private ReloadResult count(ReloadResult result) {
    server.runtime().metrics().configReloads.inc(result.outcome().name().toLowerCase(Locale.ROOT));
    return result;
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The content hash of {@code file}, as the reloader compares it. */
  public static String sha256Of(java.nio.file.Path file) throws IOException {
    return sha256(Files.readAllBytes(file));
  }
}
