package dev.palisade.oci.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.oci.auth.Credential;
import dev.palisade.oci.auth.CredentialProvider;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ImageConfig;
import dev.palisade.oci.manifest.ImageManifest;
import dev.palisade.oci.manifest.ManifestDocument;
import dev.palisade.oci.manifest.ManifestParser;
import dev.palisade.oci.manifest.MediaTypes;
import dev.palisade.oci.registry.RegistryAuthenticationException;
import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.oci.registry.RegistryConnectionException;
import dev.palisade.oci.registry.RegistryEvent;
import dev.palisade.oci.registry.RegistryProtocolException;
import dev.palisade.oci.registry.RegistryTimeouts;
import dev.palisade.testing.OciImage;
import dev.palisade.testing.RegistryExtension;
import dev.palisade.testing.Skopeo;
import dev.palisade.testing.SkopeoOption;
import dev.palisade.testing.Umoci;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client against the real Debian registry over plain HTTP (only when asked for), and
 * the bearer-token challenge flow, with a token service + proxy in front of that registry.
 */
class PlainRegistryClientIT {

  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.plain();

  @TempDir
  Path work;

  private final Umoci umoci = Umoci.create();
  private final Skopeo skopeo = Skopeo.create();
  private final List<RegistryEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeSkopeo() {
    skopeo.close();
  }

  private OciImage push(String repository, String label, SkopeoOption.ManifestFormat format) {
    OciImage image = TestImages.threeLayers(umoci, work.resolve("layout-" + label), "v1", label);
    skopeo.copy(image.skopeoReference(), registry.dockerTransport(repository, "v1"),
        SkopeoOption.pushTo(registry), SkopeoOption.format(format));
    return image;
  }

  @Test
  void readsADockerSchema2ImageOverPlainHttpWhenAskedTo() throws Exception {
    OciImage image = push("palisade/plain", "plain", SkopeoOption.ManifestFormat.DOCKER_V2S2);
    List<String> umociDigests = TestImages.layoutDigests(image);

    try (RegistryClient client = RegistryClient.builder(registry.host()).plainHttp(true).build()) {
      client.ping();
      ManifestDocument document = client.getManifest("palisade/plain", "v1");
      assertEquals(MediaTypes.DOCKER_MANIFEST, document.mediaType());
      assertEquals(TestImages.sha256(document.bytes()), document.digest().toString());
      ImageManifest manifest = assertInstanceOf(ImageManifest.class, document.manifest());
      assertEquals(MediaTypes.DOCKER_CONFIG, manifest.config().mediaType());
      assertEquals(3, manifest.layers().size());

      byte[] configBytes = client.getBlob("palisade/plain", manifest.config(), 1 << 20);
      assertEquals(manifest.config().digest().toString(), TestImages.sha256(configBytes));
      ImageConfig config = ManifestParser.parseConfig(configBytes, "config");
      assertEquals("plain", config.labels().get(TestImages.LABEL_KEY));

      List<byte[]> tars = new ArrayList<>();
      for (int i = 0; i < manifest.layers().size(); i++) {
        Descriptor layer = manifest.layers().get(i);
        assertEquals(MediaTypes.DOCKER_LAYER_GZIP, layer.mediaType());
        // skopeo converted the manifest, not the layers: the blobs are umoci's.
        assertEquals(umociDigests.get(i + 1), layer.digest().toString());
        byte[] bytes;
        try (InputStream in = client.openBlob("palisade/plain", layer)) {
          bytes = TestImages.drain(in);
        }
        assertEquals(layer.digest().toString(), TestImages.sha256(bytes));
        byte[] tar = TestImages.gunzip(bytes);
        assertEquals(config.diffIds().get(i), TestImages.sha256(tar));
        tars.add(tar);
      }
      TestImages.assertThreeLayerContents(tars);
    }
  }

  @Test
  void neverFallsBackToPlainHttpByItself() throws Exception {
    try (RegistryClient client = RegistryClient.builder(registry.host())
        .timeouts(new RegistryTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(3)))
        .build()) {
      RegistryConnectionException e = assertThrows(RegistryConnectionException.class,
          () -> client.getManifest("palisade/plain", "v1"));
      assertTrue(e.getMessage().contains("TLS"), e.getMessage());
    }
  }

  @Test
  void bearerTokenFlowFetchesATokenWithBasicCredentialsAndReadsRealContent() throws Exception {
    OciImage image = push("palisade/bearer", "bearer", SkopeoOption.ManifestFormat.OCI);
    try (TokenAuthProxy proxy = new TokenAuthProxy(registry.baseUri(), "token-user", "token-secret-123");
        RegistryClient client = RegistryClient.builder(proxy.host())
            .plainHttp(true)
            .credentials(CredentialProvider.fixed(proxy.host(), new Credential("token-user", "token-secret-123")))
            .events(events::add)
            .build()) {
      ManifestDocument document = client.getManifest("palisade/bearer", "v1");
      assertEquals(TestImages.layoutManifestDigest(image), document.digest().toString());
      ImageManifest manifest = (ImageManifest) document.manifest();
      byte[] config = client.getBlob("palisade/bearer", manifest.config(), 1 << 20);
      assertEquals(manifest.config().digest().toString(), TestImages.sha256(config));
      for (Descriptor layer : manifest.layers()) {
        try (InputStream in = client.openBlob("palisade/bearer", layer)) {
          assertEquals(layer.digest().toString(), TestImages.sha256(TestImages.drain(in)));
        }
      }

      // One challenge, one token for the pull scope, reused for every later request of that scope.
      assertEquals(List.of("token-user:token-secret-123"), proxy.tokenCredentials);
      assertEquals(1, proxy.tokenQueries.size());
      assertTrue(proxy.tokenQueries.get(0).contains("service=" + TokenAuthProxy.SERVICE), proxy.tokenQueries.toString());
      assertTrue(proxy.tokenQueries.get(0).contains("scope=repository:palisade/bearer:pull"), proxy.tokenQueries.toString());
      assertEquals(1, proxy.challenged.get());
      assertEquals(1 + 1 + manifest.layers().size(), proxy.forwarded.get());
      assertTrue(proxy.registryAuthorizations.stream().allMatch(a -> a.startsWith("Bearer tok-")),
          "only the token may reach the registry: " + proxy.registryAuthorizations.size() + " headers");
      assertTrue(events.stream().anyMatch(e -> e.kind() == RegistryEvent.Kind.AUTHENTICATED), events.toString());
      assertFalse(events.toString().contains("token-secret-123"), events.toString());
      assertFalse(events.toString().contains("tok-"), "an event shows the token: " + events);

      // Tokens expire: the next request is challenged again and the client gets a fresh token.
      proxy.revokeAllTokens();
      ManifestDocument again = client.getManifest("palisade/bearer", document.digest().toString());
      assertArrayEquals(document.bytes(), again.bytes());
      assertEquals(2, proxy.tokenCredentials.size());
      assertEquals(2, proxy.challenged.get());
    }
  }

  @Test
  void bearerTokenFlowWithAWrongPasswordIsAnAuthenticationError() throws Exception {
    try (TokenAuthProxy proxy = new TokenAuthProxy(registry.baseUri(), "token-user", "token-secret-123");
        RegistryClient client = RegistryClient.builder(proxy.host())
            .plainHttp(true)
            .credentials(CredentialProvider.fixed(proxy.host(), new Credential("token-user", "not-the-secret-456")))
            .build()) {
      RegistryAuthenticationException e = assertThrows(RegistryAuthenticationException.class,
          () -> client.getManifest("palisade/bearer", "v1"));
      assertTrue(e.getMessage().contains("refused"), e.getMessage());
      assertFalse(e.getMessage().contains("not-the-secret-456"), e.getMessage());
      assertEquals(List.of("token-user:not-the-secret-456"), proxy.tokenCredentials);
      assertEquals(0, proxy.forwarded.get());
    }
  }

  @Test
  void bearerTokenFlowWithoutCredentialsSaysNoneAreConfigured() throws Exception {
    try (TokenAuthProxy proxy = new TokenAuthProxy(registry.baseUri(), "token-user", "token-secret-123");
        RegistryClient client = RegistryClient.builder(proxy.host()).plainHttp(true).build()) {
      RegistryAuthenticationException e = assertThrows(RegistryAuthenticationException.class,
          () -> client.getManifest("palisade/bearer", "v1"));
      assertTrue(e.getMessage().contains("no credentials are configured"), e.getMessage());
      assertEquals(List.of("<none>"), proxy.tokenCredentials);
    }
  }

  @Test
  void bearerTokenFlowOverHttpsWithATokenServiceOnTheSameHost() throws Exception {
    OciImage image = push("palisade/bearer-tls", "bearer-tls", SkopeoOption.ManifestFormat.OCI);
    ServerTls tls = ServerTls.generate(work);
    try (TokenAuthProxy proxy = new TokenAuthProxy(registry.baseUri(), "u", "token-secret-789", tls.server());
        RegistryClient client = RegistryClient.builder(proxy.host())
            .sslContext(tls.clientTrust())
            .credentials(CredentialProvider.fixed(proxy.host(), new Credential("u", "token-secret-789")))
            .build()) {
      ManifestDocument document = client.getManifest("palisade/bearer-tls", "v1");
      assertEquals(TestImages.layoutManifestDigest(image), document.digest().toString());
      ImageManifest manifest = (ImageManifest) document.manifest();
      Descriptor binary = manifest.layers().get(1);
      try (InputStream in = client.openBlob("palisade/bearer-tls", binary)) {
        assertEquals(binary.digest().toString(), TestImages.sha256(TestImages.drain(in)));
      }
      assertEquals(List.of("u:token-secret-789"), proxy.tokenCredentials);
    }
  }

  @Test
  void aPlainHttpTokenRealmIsRefusedForAnHttpsRegistry() throws Exception {
    ServerTls tls = ServerTls.generate(work);
    try (TokenAuthProxy proxy = new TokenAuthProxy(registry.baseUri(), "u", "token-secret-789", tls.server());
        RegistryClient client = RegistryClient.builder(proxy.host())
            .sslContext(tls.clientTrust())
            .credentials(CredentialProvider.fixed(proxy.host(), new Credential("u", "token-secret-789")))
            .build()) {
      proxy.realmScheme = "http"; // credentials would travel in clear text
      RegistryProtocolException e = assertThrows(RegistryProtocolException.class,
          () -> client.getManifest("palisade/bearer-tls", "v1"));
      assertTrue(e.getMessage().contains("not HTTPS"), e.getMessage());
      assertEquals(List.of(), proxy.tokenCredentials, "the credentials were sent to a plain-HTTP realm");
    }
  }
}
