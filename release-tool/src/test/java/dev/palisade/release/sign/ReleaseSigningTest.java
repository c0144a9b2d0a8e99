package dev.palisade.release.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.release.Failure;
import dev.palisade.release.TestBase;
import dev.palisade.release.TestCli;
import dev.palisade.release.TestRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key-based signing end to end on an OCI layout, no registry: keygen → release --sign-key →
 * {@code scanner verify} with the key (0) and with another key (12).
 */
class ReleaseSigningTest {

  static final String PASSWORD = "correct horse battery staple";
  static final String SBOM = "https://cyclonedx.org/bom";
  static final String PROVENANCE = "https://slsa.dev/provenance/v1";

  @TempDir Path tmp;

  @Test
  void keygenReleaseSignAndVerifyOnALayout() throws Exception {
    TestBase.assembled();
    Path keys = Files.createDirectories(tmp.resolve("keys"));
    TestCli.Run keygen = TestCli.run(Map.of("COSIGN_PASSWORD", PASSWORD), "keygen", "--output-prefix",
        keys.resolve("release").toString());
    assertEquals(0, keygen.exitCode(), keygen.toString());
    assertTrue(Files.readString(keys.resolve("release.key")).contains("ENCRYPTED PRIVATE KEY"));
    assertFalse(keygen.out().contains(PASSWORD) || keygen.err().contains(PASSWORD));
    TestCli.Run other = TestCli.runWithStdin(Map.of(), "other password\n".getBytes(StandardCharsets.UTF_8),
        "keygen", "--password-stdin", "--output-prefix", keys.resolve("other").toString());
    assertEquals(0, other.exitCode(), other.toString());
    TestCli.Run again = TestCli.run(Map.of("COSIGN_PASSWORD", PASSWORD), "keygen", "--output-prefix",
        keys.resolve("release").toString());
    assertEquals(Failure.SIGNING.exitCode(), again.exitCode(), "never overwrites a key:\n" + again);

    Path repo = tmp.resolve("repo");
    TestRepo.create(repo, Map.of("hello/greeting.txt", "hi\n")).close();
    TestRepo.writeClasspath(repo);
    Path layout = tmp.resolve("image");
    Path out = tmp.resolve("out");
    Path outputs = tmp.resolve("github-output.txt");
    TestCli.Run release = TestCli.run(Map.of("COSIGN_PASSWORD", PASSWORD, "GITHUB_OUTPUT", outputs.toString()),
        "release", "--repo", repo.toString(), "--snapshot", "--cache-dir", TestBase.CACHE.toString(),
        "--to", "oci:" + layout, "--out-dir", out.toString(), "--json",
        "--sign-key", keys.resolve("release.key").toString());
    assertEquals(0, release.exitCode(), release.toString());

    JsonNode result = new ObjectMapper().readTree(release.out());
    assertEquals("key", result.path("signed").asText(), release.out());
    Path sbomBundle = Path.of(result.path("sbomBundle").asText());
    Path provenanceBundle = Path.of(result.path("provenanceBundle").asText());
    assertEquals(out.resolve("sbom.cdx.json.sigstore.json").toAbsolutePath(), sbomBundle);
    assertEquals(out.resolve("provenance.intoto.json.sigstore.json").toAbsolutePath(), provenanceBundle);
    assertTrue(Files.isRegularFile(sbomBundle) && Files.isRegularFile(provenanceBundle));
    for (String key : new String[] {"signature", "sbomAttestation", "provenanceAttestation"}) {
      assertTrue(result.path(key).asText().startsWith("sha256:"), key + " in " + release.out());
    }
    String github = Files.readString(outputs);
    assertTrue(github.contains("sbomBundle=" + sbomBundle + "\n"), github);
    assertTrue(github.contains("provenanceBundle=" + provenanceBundle + "\n"), github);

    // The scanner, as a user runs it, on the layout: signature + both attestations by this key.
    SigningRun.Run verified = SigningRun.scanner("", "verify", "oci:" + layout, "--key",
        keys.resolve("release.pub").toString(), "--require-attestation", SBOM, "--require-attestation", PROVENANCE);
    assertEquals(0, verified.exitCode(), verified.toString());
    SigningRun.Run wrongKey = SigningRun.scanner("", "verify", "oci:" + layout, "--key",
        keys.resolve("other.pub").toString(), "--require-attestation", SBOM, "--require-attestation", PROVENANCE);
    assertEquals(12, wrongKey.exitCode(), wrongKey.toString());

    // The file bundles verify against the files (and not against another key).
    SigningRun.Run blob = SigningRun.scanner("", "verify-bundle", "--key", keys.resolve("release.pub").toString(),
        "--bundle", sbomBundle.toString(), out.resolve("sbom.cdx.json").toString());
    assertEquals(0, blob.exitCode(), blob.toString());
  }

  @Test
  void aWrongKeyPasswordFailsBeforeTheBuild() throws Exception {
    Path keys = Files.createDirectories(tmp.resolve("keys"));
    assertEquals(0, TestCli.run(Map.of("COSIGN_PASSWORD", PASSWORD), "keygen", "--output-prefix",
        keys.resolve("release").toString()).exitCode());
    Path repo = tmp.resolve("not-a-repo");
    TestCli.Run wrong = TestCli.run(Map.of("COSIGN_PASSWORD", "not it"), "release", "--repo", repo.toString(),
        "--snapshot", "--to", "oci:" + tmp.resolve("image"), "--sign-key", keys.resolve("release.key").toString());
    assertEquals(Failure.SIGNING.exitCode(), wrong.exitCode(), wrong.toString());
    assertFalse(wrong.err().contains("not it"), wrong.toString());
    TestCli.Run none = TestCli.run(Map.of(), "release", "--repo", repo.toString(), "--snapshot",
        "--to", "oci:" + tmp.resolve("image"), "--sign-key", keys.resolve("release.key").toString());
    assertEquals(Failure.USAGE.exitCode(), none.exitCode(), none.toString());
    TestCli.Run both = TestCli.run(Map.of("COSIGN_PASSWORD", PASSWORD), "release", "--repo", repo.toString(),
        "--snapshot", "--to", "oci:" + tmp.resolve("image"), "--sign-key", keys.resolve("release.key").toString(),
        "--keyless");
    assertEquals(Failure.USAGE.exitCode(), both.exitCode(), both.toString());
    TestCli.Run archive = TestCli.run(Map.of("COSIGN_PASSWORD", PASSWORD), "release", "--repo", repo.toString(),
        "--snapshot", "--to", "docker-archive:" + tmp.resolve("image.tar"), "--sign-key",
        keys.resolve("release.key").toString());
    assertEquals(Failure.USAGE.exitCode(), archive.exitCode(), archive.toString());
  }
}
