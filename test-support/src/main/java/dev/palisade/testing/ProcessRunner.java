package dev.palisade.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short-lived program to completion and turns every way it can go wrong into an exception
 * with a readable message.
 *
 * <p>Why not plain {@link ProcessBuilder}: tests that shell out tend to forget to drain stderr
 * (and deadlock on a full pipe), to bound the run time, or to kill what they started when the
 * test is interrupted. This class does all three; a program that times out is killed together
 * with its descendants, so nothing outlives the test.
 */
public final class ProcessRunner {

    private static final int TAIL_LINES = 40;
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(5);
    private static final File DEV_NULL = new File("/dev/null");

    private ProcessRunner() {
    }

    /**
     * Runs {@code command} and returns its output when it exits with status 0.
     *
     * @throws ProcessFailedException on a non-zero exit, a timeout, a failure to start, or
     *     interruption (the interrupt flag is restored)
     */
    public static ProcessResult run(Command command) {
        ProcessResult result = runAllowingFailure(command);
        if (result.exitCode() != 0) {
            throw new ProcessFailedException(command.display() + " exited with status " + result.exitCode()
                    + " after " + result.elapsed().toMillis() + " ms" + describeOutput(result), result, null);
        }
        return result;
    }

    /**
     * Runs {@code command} and returns its output whatever the exit status; still throws on a
     * timeout or a failure to start. For probing tools whose non-zero exit is an expected answer.
     */
    public static ProcessResult runAllowingFailure(Command command) {
        ProcessBuilder builder = new ProcessBuilder(command.argv());
        builder.environment().putAll(command.environment());
        if (command.workingDirectory() != null) {
            builder.directory(command.workingDirectory().toFile());
        }
        byte[] stdin = command.stdin();
        if (stdin == null) {
            builder.redirectInput(DEV_NULL);
        }
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ProcessFailedException("could not start " + command.display() + ": " + e.getMessage(), null, e);
        }
        try {
            OutputDrain stdout = OutputDrain.start(process.getInputStream(), "stdout of " + command.argv().get(0));
            OutputDrain stderr = OutputDrain.start(process.getErrorStream(), "stderr of " + command.argv().get(0));
            if (stdin != null) {
                writeStdin(process, stdin);
            }
            boolean exited = process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                killTree(process);
                ProcessResult partial = result(command, -1, stdout, stderr, started);
                throw new ProcessFailedException(command.display() + " did not finish within " + command.timeout()
                        + " and was killed" + describeOutput(partial), partial, null);
            }
            return result(command, process.exitValue(), stdout, stderr, started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessFailedException("interrupted while waiting for " + command.display(), null, e);
        } finally {
            if (process.isAlive()) {
                killTree(process);
            }
        }
    }

    /**
     * Kills {@code process} and everything it started, then waits briefly for it to be reaped.
     * Descendants are collected first: once the parent dies they are re-parented and no longer
     * visible as its descendants.
     */
    static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code maxLines} lines of {@code text}, for failure messages. */
    static String tail(String text, int maxLines) {
        String[] lines = text.strip().split("\n");
        int from = Math.max(0, lines.length - maxLines);
        StringBuilder out = new StringBuilder();
        if (from > 0) {
            out.append("[... ").append(from).append(" earlier lines]\n");
        }
        for (int i = from; i < lines.length; i++) {
            out.append(lines[i]).append('\n');
        }
        return out.toString();
    }

    private static void writeStdin(Process process, byte[] stdin) {
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // The program closed its stdin early; its exit status and stderr will tell why.
        }
    }

    private static ProcessResult result(Command command, int exitCode, OutputDrain stdout, OutputDrain stderr,
            long startedNanos) throws InterruptedException {
        return new ProcessResult(command.argv(), exitCode, stdout.finish(), stderr.finish(),
                Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    private static String describeOutput(ProcessResult result) {
        String stderr = result.stderr();
        if (!stderr.isBlank()) {
            return "; stderr:\n" + tail(stderr, TAIL_LINES);
        }
        String stdout = result.stdout();
        return stdout.isBlank() ? "; no output" : "; stdout:\n" + tail(stdout, TAIL_LINES);
    }

    /** Reads one output stream on its own thread so a chatty program never blocks on a full pipe. */
    private static final class OutputDrain implements Runnable {
        private final InputStream source;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final Thread thread;

        private OutputDrain(InputStream source, String name) {
            this.source = source;
            this.thread = new Thread(this, name);
            this.thread.setDaemon(true);
        }

        static OutputDrain start(InputStream source, String name) {
            OutputDrain drain = new OutputDrain(source, name);
            drain.thread.start();
            return drain;
        }

        @Override
        public void run() {
            try (source) {
                source.transferTo(buffer);
            } catch (IOException e) {
                // The stream broke because the program was killed; keep what arrived.
            }
        }

        /**
         * Waits for the stream to end. A grandchild that inherited the pipe could keep it open
         * forever, so the wait is bounded; whatever arrived by then is returned.
         */
        byte[] finish() throws InterruptedException {
            thread.join(DRAIN_GRACE.toMillis());
            return buffer.toByteArray(); // ByteArrayOutputStream is synchronized internally
        }
    }
}
