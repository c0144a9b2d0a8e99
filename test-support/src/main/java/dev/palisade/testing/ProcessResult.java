package dev.palisade.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a finished program left behind.
 *
 * @param command the argv that ran
 * @param exitCode its exit status
 * @param stdoutBytes everything it wrote to standard output
 * @param stderrBytes everything it wrote to standard error
 * @param elapsed wall time from start to exit
 */
public record ProcessResult(List<String> command, int exitCode, byte[] stdoutBytes, byte[] stderrBytes,
        Duration elapsed) {

    public ProcessResult {
        command = List.copyOf(command);
        stdoutBytes = stdoutBytes.clone();
        stderrBytes = stderrBytes.clone();
    }

    @Override
    public byte[] stdoutBytes() {
        return stdoutBytes.clone();
    }

    @Override
    public byte[] stderrBytes() {
        return stderrBytes.clone();
    }

    public String stdout() {
        return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    public String stderr() {
        return new String(stderrBytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProcessResult that && exitCode == that.exitCode && command.equals(that.command)
                && Arrays.equals(stdoutBytes, that.stdoutBytes) && Arrays.equals(stderrBytes, that.stderrBytes)
                && elapsed.equals(that.elapsed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(command, exitCode, Arrays.hashCode(stdoutBytes), Arrays.hashCode(stderrBytes), elapsed);
    }

    @Override
    public String toString() {
        return "ProcessResult[" + String.join(" ", command) + " -> exit " + exitCode + " in " + elapsed.toMillis()
                + " ms]";
    }
}
