package dev.palisade.release.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.oci.auth.Credential;
import dev.palisade.oci.auth.CredentialProvider;
import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.oci.tls.TrustMaterial;
import dev.palisade.release.Failure;
import dev.palisade.release.SmallImage;
import dev.palisade.release.TestCli;
import dev.palisade.release.image.BuiltImage;
import dev.palisade.testing.RegistryExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code release-tool push} of an existing layout to Debian's registry over TLS with basic auth. */
class PushCommandIT {

  @RegisterExtension static final RegistryExtension registry = RegistryExtension.tlsWithBasicAuth();

  @TempDir Path dir;

  @Test
  void pushesWithCredentialsFromTheEnvironmentOrStdin() throws Exception {
    BuiltImage image = SmallImage.write(dir.resolve("layout"), List.of(), null);
    String ca = registry.caCertificate().toString();
    TestCli.Run env = TestCli.run(Map.of("REGISTRY_USERNAME", registry.username(),
            "REGISTRY_PASSWORD", registry.password()),
        "push", "--image", "oci:" + image.layout(), "--ca-file", ca, "--to", registry.host() + "/palisade/pushed:1.0.0");
    assertEquals(0, env.exitCode(), env.toString());
    assertTrue(env.out().contains(image.digest().toString()), env.out());

    TestCli.Run stdin = TestCli.runWithStdin(Map.of(), (registry.password() + "\n").getBytes(StandardCharsets.UTF_8),
        "push", "--image", "oci:" + image.layout(), "--ca-file", ca, "--username", registry.username(),
        "--password-stdin", "--to", registry.host() + "/palisade/pushed:again");
    assertEquals(0, stdin.exitCode(), stdin.toString());

    try (RegistryClient client = RegistryClient.builder(registry.host())
        .sslContext(TrustMaterial.fromPemFile(registry.caCertificate()))
        .credentials(CredentialProvider.fixed(registry.host(), new Credential(registry.username(), registry.password())))
        .build()) {
      assertEquals(image.digest(), client.getManifest("palisade/pushed", "1.0.0").digest());
      assertEquals(image.digest(), client.getManifest("palisade/pushed", "again").digest());
    }
  }

  @Test
  void wrongPasswordIsExit14WithoutTheSecret() throws Exception {
    BuiltImage image = SmallImage.write(dir.resolve("layout"), List.of(), null);
    String secret = "Wr0ngButSecret-" + System.nanoTime();
    TestCli.Run run = TestCli.run(Map.of("REGISTRY_USERNAME", registry.username(), "REGISTRY_PASSWORD", secret),
        "push", "--image", "oci:" + image.layout(), "--ca-file", registry.caCertificate().toString(),
        "--to", registry.host() + "/palisade/pushed:1.0.0");
    assertEquals(Failure.REGISTRY_AUTH.exitCode(), run.exitCode(), run.toString());
    assertFalse(run.out().contains(secret) || run.err().contains(secret), run.toString());
  }
}
