package dev.palisade.release.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.release.TestBase;
import dev.palisade.release.TestCli;
import dev.palisade.release.TestRepo;
import dev.palisade.testing.RegistryExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * release --sign-key to Debian's real registry over TLS with basic auth: the image is pushed, then
 * signed and attested as referrers (this registry has no referrers API: the sha256-HEX fallback
 * index), and {@code scanner verify} reads them back from the registry.
 */
class ReleaseSigningRegistryTest {

  @RegisterExtension static final RegistryExtension registry = RegistryExtension.tlsWithBasicAuth();

  @TempDir Path tmp;

  @Test
  void signsWhatWasPushedAndTheScannerVerifiesItInTheRegistry() throws Exception {
    TestBase.assembled();
    Path keys = Files.createDirectories(tmp.resolve("keys"));
    Map<String, String> keyEnv = Map.of("COSIGN_PASSWORD", ReleaseSigningTest.PASSWORD);
    assertEquals(0, TestCli.run(keyEnv, "keygen", "--output-prefix", keys.resolve("release").toString()).exitCode());
    assertEquals(0, TestCli.run(keyEnv, "keygen", "--output-prefix", keys.resolve("other").toString()).exitCode());

    Path repo = tmp.resolve("repo");
    TestRepo.create(repo, Map.of("hello/greeting.txt", "hi\n")).close();
    TestRepo.writeClasspath(repo);
    TestCli.Run release = TestCli.run(Map.of("COSIGN_PASSWORD", ReleaseSigningTest.PASSWORD,
            "REGISTRY_USERNAME", registry.username(), "REGISTRY_PASSWORD", registry.password()),
        "release", "--repo", repo.toString(), "--snapshot", "--cache-dir", TestBase.CACHE.toString(),
        "--ca-file", registry.caCertificate().toString(), "--to", registry.host() + "/palisade/hello:1.0.0",
        "--out-dir", tmp.resolve("out").toString(), "--json", "--sign-key", keys.resolve("release.key").toString());
    assertEquals(0, release.exitCode(), release.toString());
    JsonNode result = new ObjectMapper().readTree(release.out());
    assertTrue(result.path("pushed").asBoolean(), release.out());
    assertTrue(Files.isRegularFile(Path.of(result.path("sbomBundle").asText())), release.out());
    String image = result.path("image").asText();
    assertEquals(registry.host() + "/palisade/hello@" + result.path("digest").asText(), image);

    String password = registry.password() + "\n";
    SigningRun.Run verified = SigningRun.scanner(password, "verify", image, "--ca-file",
        registry.caCertificate().toString(), "--username", registry.username(), "--password-stdin",
        "--key", keys.resolve("release.pub").toString(), "--require-attestation", ReleaseSigningTest.SBOM,
        "--require-attestation", ReleaseSigningTest.PROVENANCE);
    assertEquals(0, verified.exitCode(), verified.toString());
    SigningRun.Run wrongKey = SigningRun.scanner(password, "verify", image, "--ca-file",
        registry.caCertificate().toString(), "--username", registry.username(), "--password-stdin",
        "--key", keys.resolve("other.pub").toString());
    assertEquals(12, wrongKey.exitCode(), wrongKey.toString());
  }
}
