package dev.palisade.release;

import dev.palisade.oci.redact.Redactor;

/**
 * The release tool's one exception type: the {@link Failure} says which exit code it gets. Messages
 * pass through {@link Redactor} because they may quote registry answers or URLs.
 */
public class ReleaseException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Failure failure;

  public ReleaseException(Failure failure, String message) {
    super(Redactor.text(message));
    this.failure = failure;
  }

  public ReleaseException(Failure failure, String message, Throwable cause) {
    super(Redactor.text(message), cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
