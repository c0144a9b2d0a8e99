package dev.palisade.gateway.reload;

import java.util.List;

/**
 * The outcome of one reload.
 *
 * @param tls the certificate reload done with it (an admin reload also reloads the TLS files);
 *     null when the gateway has no {@code server.tls}, or for a reload by the config watch
 *
 * @param restartRequired settings that changed but only take effect after a restart (the running
 *     gateway keeps the old values for them), e.g. {@code server.port}
 * @param error why a refused config was refused, already redacted; null otherwise
 */
public record ReloadResult(
    Outcome outcome, String contentSha256, List<String> restartRequired, String error, TlsReloadResult tls) {

  public enum Outcome {
    /** Validated and swapped in. */
    APPLIED,
    /** Same content as the config in use: nothing to do. */
    UNCHANGED,
    /** Failed validation (or clashed with admin-made consumers); the old config keeps serving. */
    REFUSED
  }

  public ReloadResult {
    restartRequired = List.copyOf(restartRequired);
  }

  public ReloadResult(Outcome outcome, String contentSha256, List<String> restartRequired, String error) {
    this(outcome, contentSha256, restartRequired, error, null);
  }

  public ReloadResult withTls(TlsReloadResult certificates) {
    return new ReloadResult(outcome, contentSha256, restartRequired, error, certificates);
  }
}
