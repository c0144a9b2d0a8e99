package dev.palisade.gateway.lifecycle;

import dev.palisade.gateway.ExitCode;
import dev.palisade.gateway.GatewayException;
import dev.palisade.gateway.admin.AdminServer;
import dev.palisade.gateway.admin.AdminTokens;
import dev.palisade.gateway.admin.AuditLog;
import dev.palisade.gateway.config.AdminConfig;
import dev.palisade.gateway.config.AdminConfig.AdminToken;
import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.consumer.ConsumerStore;
import dev.palisade.gateway.metrics.GatewayMetrics;
import dev.palisade.gateway.reload.CertificateReloader;
import dev.palisade.gateway.reload.CertificateWatcher;
import dev.palisade.gateway.reload.ConfigReloader;
import dev.palisade.gateway.reload.ConfigSource;
import dev.palisade.gateway.reload.ConfigWatcher;
import dev.palisade.gateway.reload.ReloadResult;
import dev.palisade.gateway.reload.TlsReloadResult;
import dev.palisade.gateway.server.DrainReport;
import dev.palisade.gateway.server.GatewayRuntime;
import dev.palisade.gateway.server.GatewayServer;
import dev.palisade.gateway.state.StateStores;
import java.io.IOException;
import java.time.Clock;
import java.util.List;

/**
 * The gateway as {@code serve} runs it: the proxy, the config reloader (and file watch), the
 * admin API with its audit log, and an orderly shutdown. The stores are built once here and
 * outlive every reload.
 */
public final class GatewayService implements AutoCloseable {

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger("dev.palisade.gateway.consumer");

  private final GatewayServer server;
  private final ConfigReloader reloader;
  private final ConfigWatcher watcher;
  private final AdminServer admin;
  private final StateStores stores;
  /** Certificate hot reload; both null without server.tls, the watcher also without watch_config. */
  private final CertificateReloader certificates;
  private final CertificateWatcher certificateWatcher;

  private GatewayService(GatewayServer server, ConfigReloader reloader, ConfigWatcher watcher, AdminServer admin,
      StateStores stores, CertificateReloader certificates, CertificateWatcher certificateWatcher) {
    this.certificates = certificates;
    this.certificateWatcher = certificateWatcher;
    this.server = server;
    this.reloader = reloader;
    this.watcher = watcher;
    this.admin = admin;
    this.stores = stores;
  }

  /**
   * Loads the config from {@code source} and starts everything.
   *
   * @param startTokens admin tokens given at start (environment, file), already hashed
   */
  public static GatewayService start(ConfigSource source, List<AdminToken> startTokens, Clock clock) {
    String sha;
    try {
      sha = ConfigReloader.sha256Of(source.file());
    } catch (IOException e) {
      throw new GatewayException(ExitCode.CONFIG, source.file() + ": cannot read: " + e.getMessage());
    }
    GatewayConfig config = source.load();
    // Quotas, key state and consumers: in memory, or on Redis (state:). Built once; reloads keep them.
    StateStores stores = StateStores.open(config.state(), clock);
    ConsumerStore consumers = stores.consumers();
    consumers.addListener(change -> LOG.info(() -> "consumer " + change.name() + " "
        + change.kind().name().toLowerCase(java.util.Locale.ROOT)
        + change.after().map(c -> " (" + c.origin().name().toLowerCase(java.util.Locale.ROOT) + ", "
            + c.keys().size() + " key(s))").orElse("")));
    try {
      // Fails on a config consumer that clashes with an admin-made one already in Redis.
      consumers.seed(config.consumers()).await();
    } catch (RuntimeException e) {
      stores.close();
      throw e;
    }
    GatewayMetrics metrics = new GatewayMetrics();
    stores.bindMetrics(metrics);
    GatewayServer server;
    try {
      server = GatewayServer.start(
          new GatewayRuntime(config, stores.quotas(), stores.keyStates(), consumers, metrics, clock));
    } catch (RuntimeException e) {
      stores.close();
      throw e;
    }
    try {
      CertificateReloader certificates = server.tls() == null ? null
          : new CertificateReloader(server, metrics, clock);
      ConfigReloader reloader = new ConfigReloader(server, source, sha, certificates);
      AdminServer admin = null;
      AuditLog audit = null;
      if (config.admin() != null) {
        AdminConfig ac = config.admin();
        try {
          audit = new AuditLog(ac.auditLog(), clock);
        } catch (IOException e) {
          throw new GatewayException(ExitCode.CONFIG,
              "admin.audit_log " + ac.auditLog() + ": cannot write: " + e.getMessage());
        }
        AdminTokens tokens = new AdminTokens(
            () -> server.runtime().config().admin() == null ? List.of() : server.runtime().config().admin().tokens(),
            startTokens);
        admin = AdminServer.start(server.vertx(), ac, server::runtime, reloader, tokens, audit, clock);
      }
      ConfigWatcher watcher = null;
      if (config.lifecycle().watchConfig()) {
        AdminServer auditor = admin;
        watcher = new ConfigWatcher(server.vertx(), source.file(), reloader, config.lifecycle().pollInterval(),
            config.lifecycle().debounce(), r -> {
              if (auditor != null && r.outcome() != ReloadResult.Outcome.UNCHANGED) {
                auditor.record("config-watch", "config.reload", "config",
                    r.outcome() == ReloadResult.Outcome.REFUSED ? "error" : "ok",
                    r.outcome() == ReloadResult.Outcome.REFUSED ? "config_refused" : null, AdminServer.describe(r));
              }
            });
      }
      CertificateWatcher certificateWatcher = null;
      if (certificates != null && config.lifecycle().watchConfig()) {
        AdminServer auditor = admin;
        certificateWatcher = new CertificateWatcher(server.vertx(), certificates,
            config.lifecycle().pollInterval(), config.lifecycle().debounce(), r -> {
              if (auditor != null && r.outcome() != TlsReloadResult.Outcome.UNCHANGED) {
                boolean refused = r.outcome() == TlsReloadResult.Outcome.REFUSED;
                auditor.record("certificate-watch", "tls.reload", "server.tls", refused ? "error" : "ok",
                    refused ? "tls_refused" : null, r.describe());
              }
            });
      }
      return new GatewayService(server, reloader, watcher, admin, stores, certificates, certificateWatcher);
    } catch (RuntimeException e) {
      server.close();
      stores.close();
      throw e;
    }
  }

  public GatewayServer server() {
    return server;
  }

  public ConfigReloader reloader() {
    return reloader;
  }

  /** The admin API's port, or -1 when it is off. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  /**
   * Graceful shutdown (SIGTERM): stops watching and the admin API, then drains the proxy within
   * the {@code lifecycle.drain_timeout} of the config in use. Runs in a JVM shutdown hook, where
   * java.util.logging may already be closed: the caller reports the result.
   */
  public DrainReport shutdown() {
    stopCertificateReload();
    if (watcher != null) {
      watcher.close();
    }
    reloader.close();
    if (admin != null) {
      admin.close();
    }
    // Settles of the drained requests go to the stores: close them only after the drain.
    DrainReport report = server.shutdown(drainTimeout());
    stores.close();
    return report;
  }

  /** The certificate reloader, or null when the gateway has no server.tls. */
  public CertificateReloader certificates() {
    return certificates;
  }

  private void stopCertificateReload() {
    if (certificateWatcher != null) {
      certificateWatcher.close();
    }
    if (certificates != null) {
      certificates.close();
    }
  }

  public java.time.Duration drainTimeout() {
    return server.runtime().config().lifecycle().drainTimeout();
  }

  /** Immediate stop, for tests and failed starts. */
  @Override
  public void close() {
    stopCertificateReload();
    if (watcher != null) {
      watcher.close();
    }
    reloader.close();
    if (admin != null) {
      admin.close();
    }
    server.close();
    stores.close();
  }
}
