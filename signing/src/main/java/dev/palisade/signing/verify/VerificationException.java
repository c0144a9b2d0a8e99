package dev.palisade.signing.verify;

import dev.palisade.signing.SigningException;
import java.util.List;

/** A verification refused what it was given: one summary line plus the details behind it. */
public final class VerificationException extends SigningException {
  private static final long serialVersionUID = 1L;

  private final Failure failure;
  private final List<String> details;

  public VerificationException(Failure failure, String message, List<String> details) {
    super(message);
    this.failure = failure;
    this.details = List.copyOf(details);
  }

  public VerificationException(Failure failure, String message) {
    this(failure, message, List.of());
  }

  public Failure failure() {
    return failure;
  }

  public List<String> details() {
    return details;
  }
}
