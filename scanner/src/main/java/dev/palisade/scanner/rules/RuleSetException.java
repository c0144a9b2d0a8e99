package dev.palisade.scanner.rules;

/**
 * A rule set could not be loaded: a file is missing or unreadable, or its content is invalid.
 * The message names the file, and for rule content the rule id, the field and the line, so an
 * author can go straight to the mistake. Subclass {@link RuleValidationException} carries those
 * parts separately.
 */
public class RuleSetException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String file;

  public RuleSetException(String file, String message) {
    super(file + ": " + message);
    this.file = file;
  }

  public RuleSetException(String file, String message, Throwable cause) {
    super(file + ": " + message, cause);
    this.file = file;
  }

  /** Protected so a subclass can compose the message itself. */
  protected RuleSetException(String file, String fullMessage, boolean composed) {
    super(fullMessage);
    this.file = file;
  }

  /** The rule set file the problem is in, relative to the rule set root when known. */
  public String file() {
    return file;
  }
}
