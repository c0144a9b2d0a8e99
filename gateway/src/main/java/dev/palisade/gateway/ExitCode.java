package dev.palisade.gateway;

/** Exit codes of the gateway CLI; documented in gateway/README.md. */
public enum ExitCode {
  OK(0),
  /** A bug: something the gateway did not expect. The only case that prints a stack trace. */
  INTERNAL(1),
  /** Bad command line (picocli's own usage errors use this code as well). */
  USAGE(2),
  /** The config file is missing, not YAML, or fails validation. */
  CONFIG(3),
  /** Master key missing or wrong, an `enc:v1:` value that does not decrypt, a refused plaintext. */
  SECRETS(4),
  /** The server could not start, e.g. the port is taken. */
  STARTUP(5);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static ExitCode of(Throwable failure) {
    return failure instanceof GatewayException g ? g.exitCode() : INTERNAL;
  }
}
