package dev.palisade.scanner.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.scanner.cli.ExitCodes;
import dev.palisade.scanner.fixtures.CliRun;
import dev.palisade.signing.keys.KeyPairs;
import dev.palisade.signing.keys.PemKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to verify, verify-bundle and pull: one clear line naming the input, exit 3, no stack trace. */
class VerifyUsageTest {

  @TempDir Path dir;

  private Path layout() throws Exception {
    Path layout = Files.createDirectories(dir.resolve("layout"));
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"digest\":\"sha256:" + "a".repeat(64) + "\",\"size\":10,\"annotations\":{\"org.opencontainers.image.ref.name\":\"1\"}}]}");
    return layout;
  }

  private static void assertUsage(CliRun run, String mentions) {
    assertEquals(ExitCodes.USAGE_OR_INPUT, run.exitCode(), run.toString());
    assertTrue(run.err().startsWith("scanner: "), run.toString());
    assertTrue(run.err().contains(mentions), run.toString());
    assertFalse(run.err().contains("\tat "), run.toString());
  }

  @Test
  void missingOrBrokenTrustMaterial() throws Exception {
    Path layout = layout();
    assertUsage(CliRun.of("verify", "oci:" + layout + ":1"), "say whom to trust");
    assertUsage(CliRun.of("verify", "oci:" + layout + ":1", "--key", dir.resolve("missing.pub").toString()), "missing.pub");
    Path notAKey = dir.resolve("not-a-key.pub");
    Files.writeString(notAKey, "hello");
    assertUsage(CliRun.of("verify", "oci:" + layout + ":1", "--key", notAKey.toString()), "not-a-key.pub");
    Path policy = dir.resolve("trust.yaml");
    Files.writeString(policy, "version: 1\npolicies:\n  - name: x\n    images: [a/b]\n    signers:\n      - identity: me\n");
    assertUsage(CliRun.of("verify", "oci:" + layout + ":1", "--policy", policy.toString()), "trust.yaml:6:");
    Path key = dir.resolve("k.pub");
    Files.writeString(key, PemKeys.publicKeyPem(KeyPairs.generate().getPublic()));
    assertUsage(CliRun.of("verify", "oci:" + layout + ":1", "--policy", policy.toString(), "--key", key.toString()), "not both");
    assertUsage(CliRun.of("verify", "oci:" + layout + ":1", "--key", key.toString(), "--certificate-identity", "x"),
        "--certificate-oidc-issuer");
  }

  @Test
  void badImagesAndTargets() throws Exception {
    Path key = dir.resolve("k.pub");
    Files.writeString(key, PemKeys.publicKeyPem(KeyPairs.generate().getPublic()));
    assertUsage(CliRun.of("verify", "oci:" + dir.resolve("nope"), "--key", key.toString()), "nope");
    assertUsage(CliRun.of("verify", "oci:" + layout() + ":2", "--key", key.toString()), "tagged '2'");
    assertUsage(CliRun.of("verify", "Not/A/Valid:Ref", "--key", key.toString()), "Not/A/Valid:Ref");
    assertUsage(CliRun.of("verify", "docker-archive:/tmp/x.tar", "--key", key.toString()), "docker-archive:/tmp/x.tar");
    assertUsage(CliRun.of("pull", "example.com/a:1", "--to", "/tmp/x", "--key", key.toString()), "--to takes oci:DIR");
    assertUsage(CliRun.of("verify-bundle", "--bundle", dir.resolve("none.json").toString(), "--key", key.toString(), "sha256:zz"),
        "sha256:zz");
  }

  @Test
  void helpDocumentsTheVerificationExitCodes() {
    CliRun help = CliRun.of("verify", "--help");
    assertEquals(0, help.exitCode());
    for (String code : new String[] {"10", "11", "12", "13"}) {
      assertTrue(help.out().contains(code + "   "), help.out());
    }
  }
}
