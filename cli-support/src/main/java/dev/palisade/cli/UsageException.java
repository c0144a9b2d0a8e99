package dev.palisade.cli;

/** The command line asks for something impossible; maps to the CLIs' usage exit code. */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
