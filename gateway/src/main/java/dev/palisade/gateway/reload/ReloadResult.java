package dev.palisade.gateway.reload;

import java.util.List;

/**
 * The outcome of one reload.
 *
 * @param restartRequired settings that changed but only take effect after a restart (the running
 *     gateway keeps the old values for them), e.g. {@code server.port}
 * @param error why a refused config was refused, already redacted; null otherwise
 */
public record ReloadResult(Outcome outcome, String contentSha256, List<String> restartRequired, String error) {

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
}
