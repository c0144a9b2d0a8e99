package dev.palisade.scanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.scanner.cli.ExitCodes;
import dev.palisade.scanner.fixtures.CliRun;
import dev.palisade.testing.OciImage;
import dev.palisade.testing.ProcessResult;
import dev.palisade.testing.RegistryExtension;
import dev.palisade.testing.Skopeo;
import dev.palisade.testing.SkopeoOption;
import dev.palisade.testing.Umoci;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad image pushed by skopeo to real registries: TLS with basic auth (credentials only ever on
 * stdin), and plain HTTP allowed for one host with {@code --insecure-registry}.
 */
class RegistryScanIT {

  @RegisterExtension static final RegistryExtension secured = RegistryExtension.tlsWithBasicAuth();
  @RegisterExtension static final RegistryExtension plain = RegistryExtension.plain();

  @TempDir static Path work;

  static Path emptyDockerConfig;

  @BeforeAll
  static void pushImage() throws Exception {
    OciImage image = MinerImage.build(Umoci.create(), work.resolve("layout"), "bad", null);
    try (Skopeo skopeo = Skopeo.create()) {
      skopeo.copy(image.skopeoReference(), secured.dockerTransport("palisade/bad", "1"), SkopeoOption.pushTo(secured));
      skopeo.copy(image.skopeoReference(), plain.dockerTransport("palisade/bad", "1"), SkopeoOption.pushTo(plain));
    }
    // The scanner would otherwise also read the user's ~/.docker/config.json.
    emptyDockerConfig = Files.createDirectories(work.resolve("docker-config"));
  }

  private static Map<String, String> isolatedEnvironment() {
    return Map.of("DOCKER_CONFIG", emptyDockerConfig.toString(), "REGISTRY_USERNAME", "", "REGISTRY_PASSWORD", "");
  }

  private static ProcessResult scanSecured(String reference, String password, String... more) {
    String[] args = new String[7 + more.length];
    args[0] = "scan";
    args[1] = reference;
    args[2] = "--ca-file";
    args[3] = secured.caCertificate().toString();
    args[4] = "--username";
    args[5] = secured.username();
    args[6] = "--password-stdin";
    System.arraycopy(more, 0, args, 7, more.length);
    return ScannerJar.run((password + "\n").getBytes(StandardCharsets.UTF_8), isolatedEnvironment(),
        Duration.ofSeconds(90), args);
  }

  private static void assertBadReport(String json, String context) {
    JsonNode report = Findings.parse(json);
    assertEquals("findings", report.path("status").asText(), context);
    assertEquals(Findings.sorted(MinerImage.EXPECTED_FINDINGS), Findings.describe(Findings.onlyPlatform(report)), context);
  }

  @Test
  void tlsRegistryWithPasswordOnStdin() {
    ProcessResult run = scanSecured(secured.imageReference("palisade/bad", "1"), secured.password(),
        "--format", "json", "--quiet");
    assertEquals(ExitCodes.FINDINGS, run.exitCode(), ScannerJar.describe(run));
    assertBadReport(run.stdout(), ScannerJar.describe(run));
    assertFalse(run.stdout().contains(secured.password()) || run.stderr().contains(secured.password()),
        "the password never appears in the output");
  }

  @Test
  void wrongPasswordIsARegistryErrorThatNeverShowsThePassword() {
    String wrong = "wrong-" + secured.password().substring(0, Math.min(6, secured.password().length())) + "-Zq81";
    ProcessResult run = scanSecured(secured.imageReference("palisade/bad", "1"), wrong, "--quiet");
    assertEquals(ExitCodes.REGISTRY, run.exitCode(), ScannerJar.describe(run));
    assertFalse(run.stderr().isBlank(), "says why: " + ScannerJar.describe(run));
    assertFalse(run.stdout().contains(wrong) || run.stderr().contains(wrong), ScannerJar.describe(run));
    assertFalse(run.stderr().contains("\tat "), "no stack trace: " + ScannerJar.describe(run));
  }

  @Test
  void tlsRegistryWithoutTheCaIsRefused() {
    ProcessResult run = ScannerJar.run(null, isolatedEnvironment(), Duration.ofSeconds(60), "scan",
        secured.imageReference("palisade/bad", "1"), "--quiet", "--registry-timeout", "10");
    assertEquals(ExitCodes.REGISTRY, run.exitCode(), ScannerJar.describe(run));
    assertTrue(run.elapsed().compareTo(Duration.ofSeconds(30)) < 0, "fails fast: " + ScannerJar.describe(run));
    assertTrue(run.stderr().contains(secured.host()), "names the registry: " + ScannerJar.describe(run));
  }

  @Test
  void missingImageIsARegistryError() {
    ProcessResult run = scanSecured(secured.imageReference("palisade/bad", "no-such-tag"), secured.password(), "--quiet");
    assertEquals(ExitCodes.REGISTRY, run.exitCode(), ScannerJar.describe(run));
    assertTrue(run.stderr().contains("no-such-tag"), "names what is missing: " + ScannerJar.describe(run));

    CliRun plainMissing = CliRun.of("scan", plain.imageReference("palisade/absent", "1"), "--insecure-registry",
        plain.host(), "--quiet");
    assertEquals(ExitCodes.REGISTRY, plainMissing.exitCode(), plainMissing.toString());
    assertTrue(plainMissing.err().contains("palisade/absent"), plainMissing.toString());
  }

  @Test
  void plainRegistryByTagAndByDigest() {
    CliRun byTag = CliRun.of("scan", plain.imageReference("palisade/bad", "1"), "--insecure-registry", plain.host(),
        "--format", "json", "--quiet");
    assertEquals(ExitCodes.FINDINGS, byTag.exitCode(), byTag.toString());
    assertBadReport(byTag.out(), byTag.toString());

    String digest = Findings.parse(byTag.out()).path("imageDigest").asText();
    assertTrue(digest.startsWith("sha256:"), byTag.out());
    CliRun byDigest = CliRun.of("scan", plain.host() + "/palisade/bad@" + digest, "--insecure-registry", plain.host(),
        "--format", "json", "--quiet");
    assertEquals(ExitCodes.FINDINGS, byDigest.exitCode(), byDigest.toString());
    assertBadReport(byDigest.out(), byDigest.toString());
    assertEquals(digest, Findings.parse(byDigest.out()).path("imageDigest").asText());
  }

  @Test
  void plainHttpIsNotUsedWithoutInsecureRegistry() {
    CliRun run = CliRun.of("scan", plain.imageReference("palisade/bad", "1"), "--quiet", "--registry-timeout", "5");
    assertEquals(ExitCodes.REGISTRY, run.exitCode(), "HTTPS against a plain-HTTP registry fails: " + run);
  }
}
