package dev.palisade.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessRunnerTest {

    private static final Path SH = RequiredBinaries.require("sh", "dash");

    @Test
    void capturesStdoutAndStderrSeparately() {
        ProcessResult result = ProcessRunner.run(Command.of(SH, "-c", "echo out; echo err >&2"));

        assertEquals(0, result.exitCode());
        assertEquals("out\n", result.stdout());
        assertEquals("err\n", result.stderr());
    }

    @Test
    void feedsStdinAndEnvironment() {
        ProcessResult result = ProcessRunner.run(Command.of(SH, "-c", "cat; printf %s \"$GREETING\"")
                .withStdin("from stdin\n").withEnvironment("GREETING", "from env"));

        assertEquals("from stdin\nfrom env", result.stdout());
    }

    @Test
    void withoutStdinTheProgramReadsEndOfFileInsteadOfHanging() {
        ProcessResult result = ProcessRunner.run(Command.of(SH, "-c", "cat; echo done")
                .withTimeout(Duration.ofSeconds(10)));

        assertEquals("done\n", result.stdout());
    }

    @Test
    void nonZeroExitNamesCommandStatusAndStderrTail() {
        ProcessFailedException failure = assertThrows(ProcessFailedException.class,
                () -> ProcessRunner.run(Command.of(SH, "-c", "echo first >&2; echo last words >&2; exit 3")));

        assertTrue(failure.getMessage().contains(SH + " -c"), failure.getMessage());
        assertTrue(failure.getMessage().contains("exited with status 3"), failure.getMessage());
        assertTrue(failure.getMessage().contains("last words"), failure.getMessage());
        assertEquals(3, failure.result().exitCode());
    }

    @Test
    void timeoutKillsTheProgramAndItsChildren() throws Exception {
        long started = System.nanoTime();
        ProcessFailedException failure = assertThrows(ProcessFailedException.class,
                () -> ProcessRunner.run(Command.of(SH, "-c", "sleep 300 & echo $!; wait")
                        .withTimeout(Duration.ofMillis(500))));

        assertTrue(failure.getMessage().contains("did not finish within PT0.5S"), failure.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0);
        long sleepPid = Long.parseLong(failure.result().stdout().strip());
        assertTrue(deadWithin(sleepPid, Duration.ofSeconds(5)), "the grandchild sleep " + sleepPid + " survived");
    }

    /**
     * The killed grandchild was re-parented to PID 1, which may take a while to reap it: a zombie
     * counts as dead here (the JDK still reports it alive).
     */
    private static boolean deadWithin(long pid, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Path stat = Path.of("/proc/" + pid + "/stat");
            if (!Files.exists(stat)) {
                return true;
            }
            try {
                String content = Files.readString(stat);
                if (content.substring(content.lastIndexOf(')') + 2).startsWith("Z")) {
                    return true;
                }
            } catch (java.io.IOException e) {
                return true; // vanished between the two calls
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Test
    void programThatCannotStartIsReportedClearly() {
        ProcessFailedException failure = assertThrows(ProcessFailedException.class,
                () -> ProcessRunner.run(Command.of(Path.of("/nonexistent/tool"), "--help")));

        assertTrue(failure.getMessage().startsWith("could not start /nonexistent/tool --help"), failure.getMessage());
    }

    @Test
    void commandToStringHidesStdinAndEnvironmentValues() {
        Command command = Command.of(SH, "-c", "cat").withStdin("hunter2").withEnvironment("TOKEN", "s3cret");

        assertFalse(command.toString().contains("hunter2"), command.toString());
        assertFalse(command.toString().contains("s3cret"), command.toString());
    }
}
