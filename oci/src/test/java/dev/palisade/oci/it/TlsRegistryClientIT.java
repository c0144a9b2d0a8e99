package dev.palisade.oci.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.oci.auth.Credential;
import dev.palisade.oci.auth.CredentialProvider;
import dev.palisade.oci.auth.DockerConfigCredentials;
import dev.palisade.oci.auth.EnvironmentCredentials;
import dev.palisade.oci.digest.BlobIntegrityException;
import dev.palisade.oci.digest.Digest;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ImageConfig;
import dev.palisade.oci.manifest.ImageIndex;
import dev.palisade.oci.manifest.ImageManifest;
import dev.palisade.oci.manifest.ManifestDocument;
import dev.palisade.oci.manifest.ManifestParser;
import dev.palisade.oci.manifest.MediaTypes;
import dev.palisade.oci.reference.ImageReference;
import dev.palisade.oci.registry.RegistryAuthenticationException;
import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.oci.registry.RegistryConnectionException;
import dev.palisade.oci.registry.RegistryException;
import dev.palisade.oci.registry.RegistryEvent;
import dev.palisade.oci.registry.RegistryNotFoundException;
import dev.palisade.oci.registry.RegistryProtocolException;
import dev.palisade.oci.registry.RegistryTimeouts;
import dev.palisade.oci.source.ImageSourceException;
import dev.palisade.oci.source.RegistryImageSource;
import dev.palisade.oci.tls.TrustMaterial;
import dev.palisade.testing.OciImage;
import dev.palisade.testing.RegistryExtension;
import dev.palisade.testing.Skopeo;
import dev.palisade.testing.SkopeoOption;
import dev.palisade.testing.Umoci;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's registry client against the real Debian registry over TLS (self-signed CA) with
 * htpasswd basic auth, reading images that umoci made and skopeo pushed.
 */
class TlsRegistryClientIT {

  @RegisterExtension
  static final RegistryExtension registry = RegistryExtension.tlsWithBasicAuth();

  @TempDir
  Path work;

  private final Umoci umoci = Umoci.create();
  private final Skopeo skopeo = Skopeo.create();
  private final List<RegistryEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeSkopeo() {
    skopeo.close();
  }

  private RegistryClient client() throws Exception {
    return client(new Credential(registry.username(), registry.password()));
  }

  private RegistryClient client(Credential credential) throws Exception {
    return RegistryClient.builder(registry.host())
        .sslContext(TrustMaterial.fromPemFile(registry.caCertificate()))
        .credentials(credential == null ? CredentialProvider.none() : CredentialProvider.fixed(registry.host(), credential))
        .timeouts(new RegistryTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20)))
        .events(events::add)
        .build();
  }

  /** Pushes a fresh umoci image with skopeo (OCI manifest, layers untouched) and returns it. */
  private OciImage push(String repository, String tag, String label) {
    OciImage image = TestImages.threeLayers(umoci, work.resolve("layout-" + label), "v1", label);
    skopeo.copy(image.skopeoReference(), registry.dockerTransport(repository, tag),
        SkopeoOption.pushTo(registry), SkopeoOption.format(SkopeoOption.ManifestFormat.OCI));
    return image;
  }

  @Test
  void readsASkopeoPushedUmociImageEndToEndVerifyingEveryDigest() throws Exception {
    OciImage image = push("palisade/roundtrip", "v1", "roundtrip");
    List<String> layoutDigests = TestImages.layoutDigests(image);

    try (RegistryClient client = client()) {
      client.ping();
      ManifestDocument byTag = client.getManifest("palisade/roundtrip", "v1");

      // The manifest is the one umoci wrote, byte for byte: skopeo was asked to change nothing.
      assertArrayEquals(TestImages.layoutManifest(image), byTag.bytes());
      assertEquals(TestImages.sha256(byTag.bytes()), byTag.digest().toString());
      assertEquals(TestImages.layoutManifestDigest(image), byTag.digest().toString());
      assertEquals(MediaTypes.OCI_MANIFEST, byTag.mediaType());
      // The registry's own idea of the digest, fetched with the JDK's client and the raw password.
      assertEquals(byTag.digest().toString(), rawManifestDigest("palisade/roundtrip", "v1"));

      ImageManifest manifest = assertInstanceOf(ImageManifest.class, byTag.manifest());
      assertEquals(3, manifest.layers().size());
      List<String> clientDigests = new ArrayList<>();
      clientDigests.add(manifest.config().digest().toString());
      manifest.layers().forEach(layer -> clientDigests.add(layer.digest().toString()));
      assertEquals(layoutDigests, clientDigests);

      ManifestDocument byDigest = client.getManifest("palisade/roundtrip", byTag.digest().toString());
      assertArrayEquals(byTag.bytes(), byDigest.bytes());
      assertEquals(byTag.digest(), byDigest.digest());

      Optional<Descriptor> head = client.headManifest("palisade/roundtrip", "v1");
      assertTrue(head.isPresent(), "HEAD found nothing");
      assertEquals(byTag.digest(), head.get().digest());
      assertEquals(byTag.size(), head.get().size());

      // Config: read whole, verified, and parsed.
      byte[] configBytes = client.getBlob("palisade/roundtrip", manifest.config(), 1 << 20);
      assertEquals(manifest.config().digest().toString(), TestImages.sha256(configBytes));
      assertEquals(manifest.config().size(), configBytes.length);
      ImageConfig config = ManifestParser.parseConfig(configBytes, "config");
      assertEquals("roundtrip", config.labels().get(TestImages.LABEL_KEY));
      assertEquals(List.of("/usr/local/bin/tool"), config.cmd());
      assertEquals(3, config.diffIds().size());

      // Every layer streamed to EOF through the client's verifying stream, then checked here again.
      List<byte[]> uncompressed = new ArrayList<>();
      for (int i = 0; i < manifest.layers().size(); i++) {
        Descriptor layer = manifest.layers().get(i);
        assertEquals(MediaTypes.OCI_LAYER_GZIP, layer.mediaType());
        byte[] bytes;
        try (InputStream in = client.openBlob("palisade/roundtrip", layer)) {
          bytes = TestImages.drain(in);
        }
        assertEquals(layer.size(), bytes.length, "layer " + i + " size");
        assertEquals(layer.digest().toString(), TestImages.sha256(bytes), "layer " + i + " digest");
        byte[] tar = TestImages.gunzip(bytes);
        assertEquals(config.diffIds().get(i), TestImages.sha256(tar), "layer " + i + " diff ID");
        uncompressed.add(tar);
      }
      assertTrue(uncompressed.get(1).length > TestImages.TOOL_SIZE, "the binary layer is the big one");
      TestImages.assertThreeLayerContents(uncompressed);

      assertTrue(client.listTags("palisade/roundtrip").contains("v1"));
    }
    assertTrue(events.stream().anyMatch(e -> e.kind() == RegistryEvent.Kind.AUTHENTICATED
        && e.message().contains(registry.username())), events.toString());
    assertFalse(events.toString().contains(registry.password()), "an event leaked the password");
  }

  @Test
  void imageSourceOverTheRegistryReadsTheSameImage() throws Exception {
    OciImage image = push("palisade/source", "v2", "source");
    ImageReference reference = ImageReference.parse(registry.host() + "/palisade/source:v2");

    Path dockerConfig = work.resolve("config.json");
    Files.copy(registry.skopeoAuthFile(), dockerConfig);
    RegistryClient client = RegistryClient.builder(reference.registry())
        .sslContext(TrustMaterial.fromPemFile(registry.caCertificate()))
        .credentials(new DockerConfigCredentials(dockerConfig))
        .build();
    try (RegistryImageSource source = new RegistryImageSource(client, reference)) {
      ManifestDocument root = source.rootManifest();
      assertEquals(TestImages.layoutManifestDigest(image), root.digest().toString());
      ImageManifest manifest = assertInstanceOf(ImageManifest.class, root.manifest());
      byte[] config = source.readBlob(manifest.config(), 1 << 20);
      assertEquals(manifest.config().digest().toString(), TestImages.sha256(config));
      for (Descriptor layer : manifest.layers()) {
        try (InputStream in = source.openBlob(layer)) {
          assertEquals(layer.digest().toString(), TestImages.sha256(TestImages.drain(in)));
        }
      }
      ManifestDocument again = source.manifest(root.descriptor());
      assertArrayEquals(root.bytes(), again.bytes());
    }
  }

  @Test
  void readsAnOciIndexPushedBySkopeoAndEachPlatformManifest() throws Exception {
    Path layout = work.resolve("multi");
    OciImage amd64 = TestImages.threeLayers(umoci, layout, "amd64", "multi");
    OciImage arm64 = umoci.tag(amd64, "arm64");
    umoci.configure(arm64, dev.palisade.testing.ImageConfig.unchanged().withArchitecture("arm64"));
    String amd64Digest = TestImages.layoutManifestDigest(amd64);
    String arm64Digest = TestImages.layoutManifestDigest(arm64);
    assertNotEquals(amd64Digest, arm64Digest);
    addIndex(layout, "multi", amd64Digest, "amd64", arm64Digest, "arm64");
    skopeo.copy(Skopeo.oci(layout, "multi"), registry.dockerTransport("palisade/multi", "v1"),
        SkopeoOption.pushTo(registry), SkopeoOption.all());

    EnvironmentCredentials fromEnvironment = new EnvironmentCredentials(Map.of(
        EnvironmentCredentials.USERNAME, registry.username(),
        EnvironmentCredentials.PASSWORD, registry.password(),
        EnvironmentCredentials.HOST, registry.host()));
    ImageReference reference = ImageReference.parse(registry.host() + "/palisade/multi:v1");
    assertEquals(registry.host(), reference.registry());
    assertEquals("palisade/multi", reference.repository());
    try (RegistryClient client = RegistryClient.builder(reference.registry())
        .sslContext(TrustMaterial.fromPemFile(registry.caCertificate()))
        .credentials(fromEnvironment)
        .build();
        RegistryImageSource source = new RegistryImageSource(client, reference)) {
      ManifestDocument root = source.rootManifest();
      assertEquals(MediaTypes.OCI_INDEX, root.mediaType());
      ImageIndex index = assertInstanceOf(ImageIndex.class, root.manifest());
      assertEquals(2, index.manifests().size());
      Map<String, String> byArchitecture = new TreeMap<>();
      for (Descriptor entry : index.manifests()) {
        byArchitecture.put(entry.platform().architecture(), entry.digest().toString());
        ManifestDocument child = source.manifest(entry);
        assertEquals(entry.digest(), child.digest());
        assertEquals(entry.size(), child.size());
        ImageManifest manifest = assertInstanceOf(ImageManifest.class, child.manifest());
        ImageConfig config = ManifestParser.parseConfig(source.readBlob(manifest.config(), 1 << 20), "config");
        assertEquals(entry.platform().architecture(), config.architecture());
        for (Descriptor layer : manifest.layers()) {
          try (InputStream in = source.openBlob(layer)) {
            assertEquals(layer.digest().toString(), TestImages.sha256(TestImages.drain(in)));
          }
        }
      }
      assertEquals(Map.of("amd64", amd64Digest, "arm64", arm64Digest), byArchitecture);
    }
  }

  /** Adds an OCI index over two manifests of the layout, tagged {@code tag}: umoci cannot make one. */
  private static void addIndex(Path layout, String tag, String first, String firstArch, String second,
      String secondArch) throws Exception {
    String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
        + platformEntry(layout, first, firstArch) + "," + platformEntry(layout, second, secondArch) + "]}";
    byte[] bytes = index.getBytes();
    String digest = TestImages.sha256(bytes);
    Files.write(TestImages.blobPath(layout, digest), bytes);
    com.fasterxml.jackson.databind.node.ObjectNode indexJson =
        (com.fasterxml.jackson.databind.node.ObjectNode) TestImages.json(Files.readAllBytes(layout.resolve("index.json")));
    com.fasterxml.jackson.databind.node.ObjectNode entry = indexJson.withArray("manifests").addObject();
    entry.put("mediaType", MediaTypes.OCI_INDEX).put("digest", digest).put("size", bytes.length)
        .putObject("annotations").put("org.opencontainers.image.ref.name", tag);
    Files.write(layout.resolve("index.json"), TestImages.mapper().writeValueAsBytes(indexJson));
  }

  private static String platformEntry(Path layout, String digest, String architecture) throws Exception {
    long size = Files.size(TestImages.blobPath(layout, digest));
    return "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + digest + "\",\"size\":" + size
        + ",\"platform\":{\"architecture\":\"" + architecture + "\",\"os\":\"linux\"}}";
  }

  @Test
  void wrongPasswordIsAnAuthenticationErrorThatDoesNotShowThePassword() throws Exception {
    push("palisade/auth", "v1", "auth");
    String wrong = registry.password() + "-wrong";
    try (RegistryClient client = client(new Credential(registry.username(), wrong))) {
      RegistryAuthenticationException e = assertThrows(RegistryAuthenticationException.class,
          () -> client.getManifest("palisade/auth", "v1"));
      assertTrue(e.getMessage().contains(registry.host()), e.getMessage());
      assertFalse(e.getMessage().contains(wrong), "message leaks the password: " + e.getMessage());
      assertFalse(e.getMessage().contains(registry.password()), "message leaks the password: " + e.getMessage());
    }
    assertFalse(events.toString().contains(wrong), "an event leaked the password");
  }

  @Test
  void withoutCredentialsTheErrorSaysNoneAreConfigured() throws Exception {
    try (RegistryClient client = client(null)) {
      RegistryAuthenticationException e = assertThrows(RegistryAuthenticationException.class,
          () -> client.getManifest("palisade/auth", "v1"));
      assertTrue(e.getMessage().contains("no credentials are configured"), e.getMessage());
      assertTrue(e.getMessage().contains(registry.host()), e.getMessage());
    }
  }

  @Test
  void credentialsForAnotherHostAreNeverSentHere() throws Exception {
    try (RegistryClient client = RegistryClient.builder(registry.host())
        .sslContext(TrustMaterial.fromPemFile(registry.caCertificate()))
        .credentials(CredentialProvider.fixed("other.example:5000", new Credential(registry.username(), registry.password())))
        .build()) {
      RegistryAuthenticationException e = assertThrows(RegistryAuthenticationException.class, client::ping);
      assertTrue(e.getMessage().contains("no credentials are configured"), e.getMessage());
    }
  }

  @Test
  void jdkDefaultTrustRefusesTheSelfSignedRegistry() throws Exception {
    try (RegistryClient client = RegistryClient.builder(registry.host())
        .credentials(CredentialProvider.fixed(registry.host(), new Credential(registry.username(), registry.password())))
        .timeouts(new RegistryTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5)))
        .build()) {
      long start = System.nanoTime();
      RegistryConnectionException e = assertThrows(RegistryConnectionException.class,
          () -> client.getManifest("palisade/auth", "v1"));
      assertTrue(e.getMessage().contains("TLS"), e.getMessage());
      assertTrue(e.getMessage().contains(registry.host()), e.getMessage());
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5, "TLS failure must not be retried");
    }
  }

  @Test
  void missingManifestsAndBlobsAreNotFoundErrorsThatNameThem() throws Exception {
    push("palisade/present", "v1", "present");
    try (RegistryClient client = client()) {
      RegistryNotFoundException tag = assertThrows(RegistryNotFoundException.class,
          () -> client.getManifest("palisade/present", "no-such-tag"));
      assertTrue(tag.getMessage().contains("palisade/present:no-such-tag"), tag.getMessage());

      Digest absent = Digest.sha256("no such manifest".getBytes());
      RegistryNotFoundException byDigest = assertThrows(RegistryNotFoundException.class,
          () -> client.getManifest("palisade/present", absent.toString()));
      assertTrue(byDigest.getMessage().contains(absent.toString()), byDigest.getMessage());

      RegistryNotFoundException repo = assertThrows(RegistryNotFoundException.class,
          () -> client.getManifest("palisade/never-pushed", "v1"));
      assertTrue(repo.getMessage().contains("palisade/never-pushed:v1"), repo.getMessage());

      Digest blob = Digest.sha256("no such blob".getBytes());
      RegistryNotFoundException missingBlob = assertThrows(RegistryNotFoundException.class,
          () -> client.openBlob("palisade/present", Descriptor.of(MediaTypes.OCI_LAYER_GZIP, blob, 12)));
      assertTrue(missingBlob.getMessage().contains(blob.toString()), missingBlob.getMessage());
      assertTrue(missingBlob.getMessage().contains("palisade/present"), missingBlob.getMessage());

      assertEquals(Optional.empty(), client.headManifest("palisade/present", "no-such-tag"));
      assertFalse(client.blobExists("palisade/present", blob));
    }
  }

  @Test
  void aBlobTamperedWithInStorageFailsVerificationNamingItsDigest() throws Exception {
    push("palisade/tampered", "v1", "tampered");
    try (RegistryClient client = client()) {
      ImageManifest manifest = (ImageManifest) client.getManifest("palisade/tampered", "v1").manifest();
      Descriptor layer = manifest.layers().get(1); // the 384 KiB binary, unique to this image
      Path data = registry.storageDir().resolve("docker/registry/v2/blobs/sha256")
          .resolve(layer.digest().hex().substring(0, 2)).resolve(layer.digest().hex()).resolve("data");
      assertEquals(layer.size(), Files.size(data), "storage layout: " + data);
      flipByte(data, layer.size() / 2);

      BlobIntegrityException e = assertThrows(BlobIntegrityException.class, () -> {
        try (InputStream in = client.openBlob("palisade/tampered", layer)) {
          TestImages.drain(in);
        }
      });
      assertEquals(layer.digest(), e.expected());
      assertTrue(e.getMessage().contains(layer.digest().toString()), e.getMessage());

      // The whole-blob and image-source paths refuse it too.
      RegistryProtocolException whole = assertThrows(RegistryProtocolException.class,
          () -> client.getBlob("palisade/tampered", layer, 1 << 20));
      assertTrue(whole.getMessage().contains(layer.digest().toString()), whole.getMessage());

      // Untouched layers of the same image still verify.
      try (InputStream in = client.openBlob("palisade/tampered", manifest.layers().get(0))) {
        assertEquals(manifest.layers().get(0).digest().toString(), TestImages.sha256(TestImages.drain(in)));
      }
    }
    try (RegistryImageSource source = new RegistryImageSource(client(),
        ImageReference.parse(registry.host() + "/palisade/tampered:v1"))) {
      ImageManifest manifest = (ImageManifest) source.rootManifest().manifest();
      Descriptor layer = manifest.layers().get(1);
      ImageSourceException e = assertThrows(ImageSourceException.class, () -> source.readBlob(layer, 1 << 20));
      assertTrue(e.getMessage().contains(layer.digest().toString()), e.getMessage());
      assertInstanceOf(BlobIntegrityException.class, e.getCause());
    }
  }

  @Test
  void pushesBlobsAndManifestsAndFindsReferrersThroughTheFallbackTag() throws Exception {
    String repository = "palisade/pushed";
    byte[] emptyConfig = "{}".getBytes();
    byte[] layerBytes = ("layer pushed by the palisade client " + System.nanoTime()).getBytes();
    Path layerFile = work.resolve("layer.bin");
    Files.write(layerFile, layerBytes);
    Digest configDigest = new Digest("sha256", TestImages.sha256(emptyConfig).substring(7));
    Digest layerDigest = new Digest("sha256", TestImages.sha256(layerBytes).substring(7));

    try (RegistryClient client = client()) {
      assertFalse(client.blobExists(repository, layerDigest));
      client.pushBlob(repository, configDigest, emptyConfig);
      client.pushBlob(repository, layerDigest, layerFile);
      assertTrue(client.blobExists(repository, layerDigest));
      client.pushBlob(repository, layerDigest, layerBytes); // already there: not uploaded again
      assertEquals(2, events.stream().filter(e -> e.kind() == RegistryEvent.Kind.BLOB_UPLOADED).count(), events.toString());
      assertEquals(1, events.stream().filter(e -> e.kind() == RegistryEvent.Kind.BLOB_EXISTS).count(), events.toString());

      byte[] imageManifest = manifestJson(null, null,
          descriptor(MediaTypes.OCI_EMPTY, configDigest, emptyConfig.length),
          descriptor("application/vnd.oci.image.layer.v1.tar", layerDigest, layerBytes.length));
      RegistryClient.PushedManifest pushed = client.putManifest(repository, "v1", imageManifest, MediaTypes.OCI_MANIFEST);
      assertEquals(TestImages.sha256(imageManifest), pushed.digest().toString());
      assertFalse(pushed.subjectAccepted(), "a manifest without subject cannot have its subject accepted");

      ManifestDocument back = client.getManifest(repository, "v1");
      assertArrayEquals(imageManifest, back.bytes());
      assertEquals(pushed.digest(), back.digest());
      assertEquals(pushed.digest().toString(), rawManifestDigest(repository, "v1"));
      ImageManifest parsed = (ImageManifest) back.manifest();
      assertArrayEquals(layerBytes, client.getBlob(repository, parsed.layers().get(0), 1024));
      assertArrayEquals(emptyConfig, client.getBlob(repository, parsed.config(), 1024));

      // No referrers yet: no API on this registry and no fallback tag.
      assertEquals(List.of(), client.referrers(repository, pushed.digest(), null));
      assertTrue(events.stream().anyMatch(e -> e.kind() == RegistryEvent.Kind.REFERRERS_FALLBACK), events.toString());

      // An artifact about the image: subject + artifactType, pushed by digest.
      String artifactType = "application/vnd.dev.palisade.test+json";
      byte[] payload = ("{\"about\":\"" + pushed.digest() + "\"}").getBytes();
      Digest payloadDigest = new Digest("sha256", TestImages.sha256(payload).substring(7));
      client.pushBlob(repository, payloadDigest, payload);
      byte[] artifact = manifestJson(artifactType, descriptor(MediaTypes.OCI_MANIFEST, pushed.digest(), imageManifest.length),
          descriptor(MediaTypes.OCI_EMPTY, configDigest, emptyConfig.length),
          descriptor(artifactType, payloadDigest, payload.length));
      Digest artifactDigest = new Digest("sha256", TestImages.sha256(artifact).substring(7));
      RegistryClient.PushedManifest pushedArtifact =
          client.putManifest(repository, artifactDigest.toString(), artifact, MediaTypes.OCI_MANIFEST);
      assertEquals(artifactDigest, pushedArtifact.digest());
      assertFalse(pushedArtifact.subjectAccepted(), "the Debian registry has no referrers API");

      ImageManifest artifactBack = (ImageManifest) client.getManifest(repository, artifactDigest.toString()).manifest();
      assertEquals(artifactType, artifactBack.artifactType());
      assertEquals(pushed.digest(), artifactBack.subject().digest());

      // Still nothing until the fallback index exists: the registry does not index subjects.
      assertEquals(List.of(), client.referrers(repository, pushed.digest(), artifactType));

      byte[] fallback = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
          + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + artifactDigest + "\",\"size\":"
          + artifact.length + ",\"artifactType\":\"" + artifactType + "\"}]}").getBytes();
      client.putManifest(repository, pushed.digest().toTagForm(), fallback, MediaTypes.OCI_INDEX);
      assertTrue(client.listTags(repository).contains(pushed.digest().toTagForm()));

      List<Descriptor> referrers = client.referrers(repository, pushed.digest(), artifactType);
      assertEquals(1, referrers.size(), referrers.toString());
      assertEquals(artifactDigest, referrers.get(0).digest());
      assertEquals(artifact.length, referrers.get(0).size());
      assertEquals(artifactType, referrers.get(0).artifactType());
      assertEquals(1, client.referrers(repository, pushed.digest(), null).size());
      assertEquals(List.of(), client.referrers(repository, pushed.digest(), "application/vnd.other+json"));
      // Another subject has no fallback tag: empty, not an error.
      assertEquals(List.of(), client.referrers(repository, artifactDigest, artifactType));
    }
  }

  @Test
  void aManifestWhoseBlobsAreMissingIsRejectedByTheRegistry() throws Exception {
    Digest absent = Digest.sha256(("absent " + System.nanoTime()).getBytes());
    byte[] manifest = manifestJson(null, null, descriptor(MediaTypes.OCI_EMPTY, absent, 2),
        descriptor(MediaTypes.OCI_LAYER_GZIP, absent, 2));
    try (RegistryClient client = client()) {
      RegistryException e = assertThrows(RegistryException.class,
          () -> client.putManifest("palisade/broken", "v1", manifest, MediaTypes.OCI_MANIFEST));
      assertTrue(e.getMessage().contains("400"), e.getMessage());
      assertTrue(e.getMessage().contains("MANIFEST_BLOB_UNKNOWN") || e.getMessage().contains("BLOB_UNKNOWN"),
          e.getMessage());
    }
  }

  private static String descriptor(String mediaType, Digest digest, long size) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
  }

  private static byte[] manifestJson(String artifactType, String subject, String config, String layer) {
    StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"");
    if (artifactType != null) {
      json.append(",\"artifactType\":\"").append(artifactType).append('"');
    }
    json.append(",\"config\":").append(config).append(",\"layers\":[").append(layer).append(']');
    if (subject != null) {
      json.append(",\"subject\":").append(subject);
    }
    return json.append('}').toString().getBytes();
  }

  /** The registry's Docker-Content-Digest for a manifest, asked for with the JDK's own client. */
  private String rawManifestDigest(String repository, String tag) throws Exception {
    HttpClient http = registry.newHttpClient();
    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(
            URI.create(registry.baseUri() + "/v2/" + repository + "/manifests/" + tag))
        .header("Authorization", registry.credentials().authorizationHeader())
        .header("Accept", MediaTypes.OCI_MANIFEST + ", " + MediaTypes.OCI_INDEX)
        .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode());
    String header = response.headers().firstValue("Docker-Content-Digest").orElseThrow();
    assertEquals(TestImages.sha256(response.body()), header);
    return header;
  }

  private static void flipByte(Path file, long position) throws Exception {
    try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
      channel.read(one, position);
      byte original = one.get(0);
      one.clear();
      one.put((byte) (original ^ 0x5a)).flip();
      channel.write(one, position);
      assertNotEquals(original, (byte) (original ^ 0x5a));
    }
  }
}
