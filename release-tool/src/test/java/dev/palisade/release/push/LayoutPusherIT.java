package dev.palisade.release.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.oci.auth.Credential;
import dev.palisade.oci.auth.CredentialProvider;
import dev.palisade.oci.reference.ImageReference;
import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.oci.tls.TrustMaterial;
import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.SmallImage;
import dev.palisade.release.image.BuiltImage;
import dev.palisade.testing.RegistryExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Pushes to Debian's real registry over TLS with basic auth. */
class LayoutPusherIT {

  @RegisterExtension static final RegistryExtension registry = RegistryExtension.tlsWithBasicAuth();

  @TempDir Path dir;

  private RegistryClient client(String user, String password) throws Exception {
    return RegistryClient.builder(registry.host())
        .sslContext(TrustMaterial.fromPemFile(registry.caCertificate()))
        .credentials(CredentialProvider.fixed(registry.host(), new Credential(user, password)))
        .build();
  }

  @Test
  void pushesTheLayoutAndReadsBackTheSameDigest() throws Exception {
    BuiltImage image = SmallImage.write(dir.resolve("layout"), List.of(), null);
    ImageReference target = ImageReference.parse(registry.host() + "/palisade/gateway:1.0.0");
    try (RegistryClient client = client(registry.username(), registry.password())) {
      ImageReference pushed = new LayoutPusher(client, e -> {}).push(image, target);
      assertEquals(image.digest(), pushed.digest());
      assertEquals(image.digest(), client.getManifest("palisade/gateway", "1.0.0").digest());
      // A second push of the same bytes is a no-op for blobs and gives the same digest.
      assertEquals(image.digest(), new LayoutPusher(client, e -> {}).push(image, target).digest());
    }
  }

  @Test
  void wrongCredentialsGiveAClearErrorWithoutTheSecret() throws Exception {
    BuiltImage image = SmallImage.write(dir.resolve("layout"), List.of(), null);
    ImageReference target = ImageReference.parse(registry.host() + "/palisade/gateway:1.0.0");
    String secret = "Wr0ngButSecret-" + System.nanoTime();
    try (RegistryClient client = client(registry.username(), secret)) {
      ReleaseException e = assertThrows(ReleaseException.class,
          () -> new LayoutPusher(client, ev -> {}).push(image, target));
      assertEquals(Failure.REGISTRY_AUTH, e.failure());
      assertTrue(e.getMessage().contains("refused the credentials"), e.getMessage());
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertFalse(String.valueOf(t.getMessage()).contains(secret), "secret leaked: " + t);
        assertFalse(String.valueOf(t).contains(secret), "secret leaked: " + t);
      }
    }
  }
}
