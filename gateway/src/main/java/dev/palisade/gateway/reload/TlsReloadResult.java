package dev.palisade.gateway.reload;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one certificate reload.
 *
 * @param serial the serial number (hex) of the certificate served after this reload
 * @param notAfter when that certificate expires
 * @param error why new files were refused (names the file, holds no key material); null otherwise
 */
public record TlsReloadResult(Outcome outcome, String serial, Instant notAfter, String error) {

  public enum Outcome {
    /** New files checked and served to new handshakes. */
    APPLIED,
    /** The files hold what is served already. */
    UNCHANGED,
    /** The new files failed a check; the previous certificate keeps serving. */
    REFUSED
  }

  public TlsReloadResult {
    Objects.requireNonNull(outcome, "outcome");
    if ((outcome == Outcome.REFUSED) != (error != null)) {
      throw new IllegalArgumentException("an error goes with REFUSED and only with it");
    }
  }

  /** For logs and the audit log: outcome, the certificate served, the error. */
  public String describe() {
    return outcome.name().toLowerCase(java.util.Locale.ROOT) + " serial=" + serial + " not_after=" + notAfter
        + (error == null ? "" : " error=" + error);
  }
}
