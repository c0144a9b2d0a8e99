package dev.palisade.scanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.scanner.cli.ExitCodes;
import dev.palisade.testing.OciImage;
import dev.palisade.testing.ProcessResult;
import dev.palisade.testing.RegistryExtension;
import dev.palisade.testing.Skopeo;
import dev.palisade.testing.SkopeoOption;
import dev.palisade.testing.Umoci;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker-daemon:NAME} against podman's Docker-compatible API (there is no Docker engine on
 * these machines): the bad image is pushed to a plain registry, pulled into podman, and scanned
 * through {@code DOCKER_HOST}, which the scanner reads from its environment, so it runs as its own
 * process.
 */
class DockerDaemonScanIT {

  @RegisterExtension static final RegistryExtension registry = RegistryExtension.plain();

  @TempDir static Path work;
  static PodmanService podman;
  static String name;
  static Path emptyDockerConfig;

  @BeforeAll
  static void pullIntoPodman() throws Exception {
    // podman first: a machine without it fails here, naming the package, before any other work.
    podman = PodmanService.start(List.of(registry.host()));
    OciImage image = MinerImage.build(Umoci.create(), work.resolve("layout"), "bad", null);
    try (Skopeo skopeo = Skopeo.create()) {
      skopeo.copy(image.skopeoReference(), registry.dockerTransport("palisade/bad", "1"), SkopeoOption.pushTo(registry));
    }
    name = registry.imageReference("palisade/bad", "1");
    emptyDockerConfig = Files.createDirectories(work.resolve("docker-config"));
    podman.pull(name);
    assertTrue(podman.imagesJson().contains(name), "podman holds the image: " + podman.imagesJson());
  }

  @AfterAll
  static void stopPodman() {
    if (podman != null) {
      podman.close();
      assertFalse(podman.isRunning(), "podman stopped");
    }
  }

  private static ProcessResult scan(String dockerHost, String image, String... more) {
    String[] args = new String[3 + more.length];
    args[0] = "scan";
    args[1] = image;
    args[2] = "--quiet";
    System.arraycopy(more, 0, args, 3, more.length);
    return ScannerJar.run(null, Map.of("DOCKER_HOST", dockerHost, "DOCKER_CONFIG", emptyDockerConfig.toString(),
        "DOCKER_TLS_VERIFY", ""), Duration.ofSeconds(90), args);
  }

  @Test
  void imageInTheDaemonHasTheSameFindings() {
    ProcessResult run = scan(podman.dockerHost(), "docker-daemon:" + name, "--format", "json");
    assertEquals(ExitCodes.FINDINGS, run.exitCode(), ScannerJar.describe(run) + "\npodman log:\n" + podman.logTail());
    JsonNode report = Findings.parse(run.stdout());
    assertEquals("docker-daemon:" + name, report.path("image").asText());
    assertTrue(report.path("syntheticDigest").asBoolean(), "a daemon image has no manifest of its own");
    JsonNode platform = Findings.onlyPlatform(report);
    assertEquals(Findings.sorted(MinerImage.EXPECTED_FINDINGS), Findings.describe(platform), run.stdout());
    assertEquals(MinerImage.LAYERS, platform.path("layers").size(), run.stdout());
    assertEquals(0, platform.path("incomplete").size(), run.stdout());
  }

  @Test
  void imageMissingFromTheDaemonIsAnInputError() {
    ProcessResult run = scan(podman.dockerHost(), "docker-daemon:" + registry.host() + "/palisade/absent:1");
    assertEquals(ExitCodes.USAGE_OR_INPUT, run.exitCode(), ScannerJar.describe(run));
    assertTrue(run.stderr().contains("palisade/absent:1"), ScannerJar.describe(run));
    assertFalse(run.stderr().contains("\tat "), "no stack trace: " + ScannerJar.describe(run));
  }

  @Test
  void unreachableDaemonSaysWhereItLooked() {
    String nowhere = "unix://" + work.resolve("no-daemon.sock");
    ProcessResult run = scan(nowhere, "docker-daemon:" + name);
    assertEquals(ExitCodes.USAGE_OR_INPUT, run.exitCode(), ScannerJar.describe(run));
    assertTrue(run.stderr().contains("no-daemon.sock") && run.stderr().contains("DOCKER_HOST"),
        ScannerJar.describe(run));
  }
}
