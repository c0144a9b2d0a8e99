package dev.palisade.scanner.layer;

import java.io.IOException;

/** A scan limit stopped reading. An IOException so it can leave a stream read; never a clean result. */
public final class LimitExceededException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public LimitExceededException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** The machine-friendly reason for the report, e.g. {@code layer-too-large}. */
  public String reason() {
    return reason;
  }
}
