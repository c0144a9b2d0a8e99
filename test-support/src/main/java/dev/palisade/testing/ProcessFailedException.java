package dev.palisade.testing;

/**
 * A program run by {@link ProcessRunner} exited non-zero, timed out, or could not start. The
 * message carries the argv, the exit code and the tail of stderr, which is usually all a failing
 * test needs to explain itself.
 */
public final class ProcessFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ProcessResult result;

    ProcessFailedException(String message, ProcessResult result, Throwable cause) {
        super(message, cause);
        this.result = result;
    }

    /** The captured output, or {@code null} when the program never started. */
    public ProcessResult result() {
        return result;
    }
}
