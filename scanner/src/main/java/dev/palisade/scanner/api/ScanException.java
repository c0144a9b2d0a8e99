package dev.palisade.scanner.api;

/**
 * The scanner's own failures that are not about a registry: bad options, an unusable source. Read
 * failures inside layers do not throw; they make the report incomplete.
 */
public class ScanException extends Exception {
  private static final long serialVersionUID = 1L;

  public ScanException(String message) {
    super(message);
  }

  public ScanException(String message, Throwable cause) {
    super(message, cause);
  }
}
