package dev.palisade.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A program invocation for {@link ProcessRunner}: argv, extra environment, optional stdin, a
 * timeout and a working directory.
 *
 * <p>The argv appears in failure messages, so it must never carry a secret: hand secrets over
 * through {@link #withStdin(byte[]) stdin} or a file instead. Environment values are never
 * printed, only their names.
 *
 * @param argv program and arguments; the first element should be an absolute path from
 *     {@link RequiredBinaries}
 * @param environment variables added to (or replacing those of) the inherited environment
 * @param stdin bytes written to the program's standard input, or {@code null} for none
 *     ({@code /dev/null})
 * @param timeout how long the program may run before it is killed
 * @param workingDirectory where the program runs, or {@code null} for the JVM's directory
 */
public record Command(List<String> argv, Map<String, String> environment, byte[] stdin, Duration timeout,
        Path workingDirectory) {

    /** Generous for the tools we drive (they finish in well under a second here). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    public Command {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        environment = Map.copyOf(environment);
        stdin = stdin == null ? null : stdin.clone();
        Objects.requireNonNull(timeout, "timeout");
    }

    public static Command of(Path program, String... arguments) {
        return of(program, List.of(arguments));
    }

    public static Command of(Path program, List<String> arguments) {
        List<String> argv = new ArrayList<>();
        argv.add(program.toString());
        argv.addAll(arguments);
        return new Command(argv, Map.of(), null, DEFAULT_TIMEOUT, null);
    }

    public Command withTimeout(Duration newTimeout) {
        return new Command(argv, environment, stdin, newTimeout, workingDirectory);
    }

    public Command withEnvironment(String name, String value) {
        Map<String, String> merged = new LinkedHashMap<>(environment);
        merged.put(name, value);
        return new Command(argv, merged, stdin, timeout, workingDirectory);
    }

    public Command withStdin(byte[] input) {
        return new Command(argv, environment, input, timeout, workingDirectory);
    }

    public Command withStdin(String input) {
        return withStdin(input.getBytes(StandardCharsets.UTF_8));
    }

    public Command in(Path directory) {
        return new Command(argv, environment, stdin, timeout, directory);
    }

    /** A defensive copy: records would otherwise hand out the internal array. */
    @Override
    public byte[] stdin() {
        return stdin == null ? null : stdin.clone();
    }

    /** The argv joined for messages (safe to print because argv never holds secrets). */
    public String display() {
        return String.join(" ", argv);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Command that && argv.equals(that.argv) && environment.equals(that.environment)
                && java.util.Arrays.equals(stdin, that.stdin) && timeout.equals(that.timeout)
                && Objects.equals(workingDirectory, that.workingDirectory);
    }

    @Override
    public int hashCode() {
        return Objects.hash(argv, environment, java.util.Arrays.hashCode(stdin), timeout, workingDirectory);
    }

    /** Leaves stdin and environment values out: they may hold secrets. */
    @Override
    public String toString() {
        return "Command[" + display() + ", env names=" + environment.keySet() + ", stdin="
                + (stdin == null ? "none" : stdin.length + " bytes") + ", timeout=" + timeout + "]";
    }
}
