package dev.palisade.scanner.it;

import dev.palisade.testing.Command;
import dev.palisade.testing.ProcessResult;
import dev.palisade.testing.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the shaded {@code scanner.jar} (built by {@code package}, before failsafe runs) as its own
 * process: the way users run it, and the only way to give it stdin ({@code --password-stdin}) or
 * an environment ({@code DOCKER_HOST}) of its own.
 */
final class ScannerJar {

  private static final Path JAR = Path.of("target", "scanner.jar").toAbsolutePath();
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

  private ScannerJar() {}

  static ProcessResult run(byte[] stdin, Map<String, String> environment, Duration timeout, String... args) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: the integration tests run after 'package' "
          + "(mvn -pl scanner -am verify), which builds it");
    }
    List<String> argv = new ArrayList<>(List.of("-Xmx256m", "-jar", JAR.toString()));
    argv.addAll(List.of(args));
    Command command = Command.of(JAVA, argv).withTimeout(timeout);
    for (Map.Entry<String, String> variable : environment.entrySet()) {
      command = command.withEnvironment(variable.getKey(), variable.getValue());
    }
    if (stdin != null) {
      command = command.withStdin(stdin);
    }
    return ProcessRunner.runAllowingFailure(command);
  }

  static ProcessResult run(byte[] stdin, String... args) {
    return run(stdin, Map.of(), Duration.ofSeconds(90), args);
  }

  static String describe(ProcessResult result) {
    return "exit " + result.exitCode() + " in " + result.elapsed().toMillis() + " ms\n--- out\n" + result.stdout()
        + "\n--- err\n" + result.stderr();
  }
}
