package dev.palisade.scanner.ignore;

/** An ignore file that cannot be used; the message names the file and, when known, the line. */
public final class IgnoreFileException extends Exception {
  public IgnoreFileException(String message) {
    super(message);
  }
}
