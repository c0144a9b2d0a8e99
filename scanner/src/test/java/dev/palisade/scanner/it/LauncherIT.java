package dev.palisade.scanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.scanner.fixtures.OciLayoutBuilder;
import dev.palisade.scanner.fixtures.OciLayoutBuilder.Compression;
import dev.palisade.scanner.fixtures.Samples;
import dev.palisade.scanner.fixtures.TarBuilder;
import dev.palisade.testing.Command;
import dev.palisade.testing.ProcessResult;
import dev.palisade.testing.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/scanner, the launcher users run, with its JVM options, compiler directives and
 * class-data-sharing archive: none of it may change what a scan reports, and nothing of the JVM's
 * may reach stdout, where the JSON report goes.
 */
class LauncherIT {

  private static final Path LAUNCHER = Path.of("..", "bin", "scanner").toAbsolutePath().normalize();
  private static final Path BUILT_JAR = Path.of("target", "scanner.jar").toAbsolutePath();

  @TempDir Path dir;

  private Path jar;
  private Path image;

  private void prepare() throws IOException {
    // A copy of the jar in a folder of the test's own: the launcher writes its archive next to it.
    jar = dir.resolve("jar").resolve("scanner.jar");
    Files.createDirectories(jar.getParent());
    Files.copy(BUILT_JAR, jar);
    image = dir.resolve("img");
    new OciLayoutBuilder().layer(new TarBuilder().file("etc/miner/config.json", Samples.minerConfig())
        .file("srv/readme.txt", Samples.HARMLESS_SCRIPT).build(), Compression.GZIP).write(image, "t");
  }

  private ProcessResult scan(String... extraEnvironment) {
    Command command = Command.of(Path.of("/bin/bash"), LAUNCHER.toString(), "scan", "oci:" + image + ":t",
            "--format", "json", "--quiet")
        .withEnvironment("PALISADE_SCANNER_JAR", jar.toString())
        .withEnvironment("JAVA_HOME", System.getProperty("java.home"))
        .withTimeout(Duration.ofSeconds(120));
    for (int i = 0; i + 1 < extraEnvironment.length; i += 2) {
      command = command.withEnvironment(extraEnvironment[i], extraEnvironment[i + 1]);
    }
    return ProcessRunner.runAllowingFailure(command);
  }

  private List<Path> archives() throws IOException {
    try (Stream<Path> files = Files.list(jar.getParent())) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jsa")).toList();
    }
  }

  private static JsonNode report(ProcessResult result) throws IOException {
    assertEquals(1, result.exitCode(), ScannerJar.describe(result));
    // The whole of stdout must be the report: a JVM line before it would break every consumer.
    return new ObjectMapper().readTree(result.stdout());
  }

  @Test
  void stdoutIsTheReportAloneWithAndWithoutTheArchive() throws Exception {
    prepare();
    JsonNode first = report(scan());
    assertEquals(0, archives().size(), "a one-off scan must not pay for writing an archive");
    JsonNode second = report(scan());
    assertEquals(1, archives().size(), "the second scan writes the class-data-sharing archive");
    JsonNode third = report(scan());
    JsonNode plain = report(scan("PALISADE_CDS", "off", "PALISADE_JAVA_OPTS", "-Xmx256m"));
    assertEquals("findings", first.get("status").asText());
    assertTrue(first.get("findingCount").asInt() > 0);
    assertEquals(first, second);
    assertEquals(first, third);
    assertEquals(first, plain);
  }

  @Test
  void aJarNewerThanItsArchiveIsScannedWithoutItAndGetsANewOne() throws Exception {
    prepare();
    report(scan());
    report(scan());
    Path archive = archives().get(0);
    // As after a rebuild: the jar is newer than the archive made for the one before it.
    FileTime before = FileTime.from(Files.getLastModifiedTime(jar).toInstant().minusSeconds(60));
    try (Stream<Path> files = Files.list(jar.getParent())) {
      for (Path file : files.filter(p -> !p.equals(jar)).toList()) {
        Files.setLastModifiedTime(file, before);
      }
    }
    JsonNode again = report(scan());
    assertEquals(before, Files.getLastModifiedTime(archive), "a stale archive is neither used nor rewritten at once");
    report(scan());
    assertEquals("findings", again.get("status").asText());
    assertTrue(Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0,
        "the archive was not made again for the newer jar");
  }
}
