package dev.palisade.gateway;

/**
 * The one exception family of the gateway. Every failure a user can cause or fix carries the
 * exit code it maps to, so the CLI turns it into a message and a code in one place
 * ({@link ExitCode#of(Throwable)}) and never shows a stack trace for it.
 */
public class GatewayException extends RuntimeException {

  private final ExitCode exitCode;

  public GatewayException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public GatewayException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
