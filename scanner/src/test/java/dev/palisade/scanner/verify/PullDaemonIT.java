package dev.palisade.scanner.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ImageManifest;
import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.scanner.cli.ExitCodes;
import dev.palisade.scanner.it.PodmanService;
import dev.palisade.scanner.fixtures.CliRun;
import dev.palisade.scanner.fixtures.Samples;
import dev.palisade.signing.bundle.BundleJson;
import dev.palisade.signing.intoto.PredicateTypes;
import dev.palisade.signing.keys.KeyPairFiles;
import dev.palisade.signing.keys.PemKeys;
import dev.palisade.signing.oci.RegistryReferrerStore;
import dev.palisade.signing.sign.Attester;
import dev.palisade.signing.sign.KeyArtifactSigner;
import dev.palisade.testing.History;
import dev.palisade.testing.OciImage;
import dev.palisade.testing.RegistryExtension;
import dev.palisade.testing.Skopeo;
import dev.palisade.testing.SkopeoOption;
import dev.palisade.testing.Umoci;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scanner pull IMAGE --to docker-daemon} against podman's Docker-compatible API (the
 * {@code it} package's {@code PodmanService}): only a signed image whose scan is clean reaches the
 * daemon. Signing as in {@link VerifyIT}: the signing library's key signer, referrers in the real
 * registry's fallback index. DOCKER_HOST is handed to the in-process CLI as a system property
 * (docker-java lets those override the environment).
 */
class PullDaemonIT {

  @RegisterExtension static final RegistryExtension registry = RegistryExtension.plain();
  @TempDir static Path work;

  static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
  static PodmanService podman;
  static String dockerHost;
  static Path releasePub;
  static Attester release;
  static OciImage appImage;
  static OciImage badImage;

  @BeforeAll
  static void setUp() throws Exception {
    podman = PodmanService.start(List.of(registry.host()));
    dockerHost = podman.dockerHost();
    KeyPairFiles.Written keys = KeyPairFiles.generate(work.resolve("release"), "release-pw".toCharArray());
    releasePub = keys.publicKey();
    release = new Attester(new KeyArtifactSigner(PemKeys.readPrivateKey(keys.privateKey(), "release-pw".toCharArray()),
        PemKeys.readPublicKey(releasePub)));
    Umoci umoci = Umoci.create();
    Path layout = work.resolve("images");
    appImage = umoci.insertFile(umoci.newImage(layout, "app"), "/srv/app.txt", "app v1\n".getBytes(StandardCharsets.UTF_8), History.NONE);
    appImage = umoci.insertFile(appImage, "/srv/more.txt", "second layer\n".getBytes(StandardCharsets.UTF_8), History.NONE);
    badImage = umoci.insertFile(umoci.newImage(layout, "bad"), "/etc/xmrig/config.json", Samples.minerConfig(), History.NONE);
  }

  @AfterAll
  static void stopPodman() throws Exception {
    System.clearProperty("DOCKER_HOST");
    if (podman != null) {
      podman.close();
    }
  }

  private static void push(OciImage image, String repository, String tag) {
    try (Skopeo skopeo = Skopeo.create()) {
      skopeo.copy(image.skopeoReference(), registry.dockerTransport(repository, tag), SkopeoOption.pushTo(registry));
    }
  }

  private static RegistryClient client() {
    return RegistryClient.builder(registry.host()).plainHttp(true).build();
  }

  private static Descriptor pushSigned(OciImage image, String repository, String tag) throws Exception {
    push(image, repository, tag);
    try (RegistryClient client = client()) {
      Descriptor subject = client.getManifest(repository, tag).descriptor();
      String name = registry.host() + "/" + repository;
      RegistryReferrerStore store = new RegistryReferrerStore(client, registry.host(), repository, note -> { });
      store.attach(subject, release.signImage(name, subject.digest()), CREATED);
      store.attach(subject, release.attest(name, subject.digest(), PredicateTypes.CYCLONEDX_BOM,
          BundleJson.MAPPER.readTree("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\"}")), CREATED);
      return subject;
    }
  }

  private static String configDigest(String repository, String tag) throws Exception {
    try (RegistryClient client = client()) {
      return ((ImageManifest) client.getManifest(repository, tag).manifest()).config().digest().toString();
    }
  }

  private static CliRun pull(String image, String... more) {
    String[] args = new String[7 + more.length];
    System.arraycopy(new String[] {"pull", image, "--to", "docker-daemon", "--insecure-registry", registry.host(), "--key"}, 0, args, 0, 7);
    System.arraycopy(more, 0, args, 7, more.length);
    System.setProperty("DOCKER_HOST", dockerHost);
    return CliRun.of(args);
  }

  private static DockerClient docker() {
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build();
    return DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
  }

  private static InspectImageResponse inspect(String name) throws Exception {
    try (DockerClient docker = docker()) {
      return docker.inspectImageCmd(name).exec();
    } catch (NotFoundException e) {
      return null;
    }
  }

  private static int imageCount() throws Exception {
    try (DockerClient docker = docker()) {
      return docker.listImagesCmd().withShowAll(true).exec().size();
    }
  }

  @Test
  void loadsAVerifiedCleanImageByDigestAndTagsIt() throws Exception {
    pushSigned(appImage, "palisade/daemon-ok", "1");
    String name = registry.imageReference("palisade/daemon-ok", "1");
    CliRun run = pull(name, releasePub.toString(), "--require-attestation", "sbom");
    assertEquals(ExitCodes.CLEAN, run.exitCode(), run.toString());
    assertTrue(run.out().contains("into the Docker daemon"), run.toString());
    InspectImageResponse loaded = inspect(name);
    assertTrue(loaded != null, "podman holds " + name + ": " + run);
    assertEquals(configDigest("palisade/daemon-ok", "1"), loaded.getId().startsWith("sha256:") ? loaded.getId() : "sha256:" + loaded.getId(),
        "the image id is the registry image's config digest");
    assertTrue(loaded.getRepoTags().contains(name), String.valueOf(loaded.getRepoTags()));
    // podman stored the layers uncompressed and checked them against the config's diff_ids.
    int layers;
    try (RegistryClient client = client()) {
      layers = ((ImageManifest) client.getManifest("palisade/daemon-ok", "1").manifest()).layers().size();
    }
    assertEquals(layers, loaded.getRootFS().getLayers().size(), String.valueOf(loaded.getRootFS().getLayers()));
  }

  @Test
  void anUnsignedImageNeverReachesTheDaemon() throws Exception {
    push(appImage, "palisade/daemon-unsigned", "1");
    int before = imageCount();
    String name = registry.imageReference("palisade/daemon-unsigned", "1");
    CliRun run = pull(name, releasePub.toString());
    assertEquals(ExitCodes.NOT_SIGNED, run.exitCode(), run.toString());
    assertTrue(run.err().startsWith("scanner: not pulled:"), run.toString());
    assertEquals(null, inspect(name));
    assertEquals(before, imageCount(), "no image was added");
  }

  @Test
  void aSignedImageWithFindingsNeverReachesTheDaemon() throws Exception {
    pushSigned(badImage, "palisade/daemon-bad", "1");
    int before = imageCount();
    String name = registry.imageReference("palisade/daemon-bad", "1");
    CliRun run = pull(name, releasePub.toString());
    assertEquals(ExitCodes.FINDINGS, run.exitCode(), run.toString());
    assertTrue(run.err().contains("not pulled") && run.err().contains("findings"), run.toString());
    assertEquals(null, inspect(name));
    assertEquals(before, imageCount(), "no image was added");
  }

  @Test
  void anUnreachableDaemonIsReportedBeforeAnyDownload() throws Exception {
    String name = registry.imageReference("palisade/daemon-ok", "1");
    System.setProperty("DOCKER_HOST", "unix://" + work.resolve("no-daemon.sock"));
    try {
      CliRun run = CliRun.of("pull", name, "--to", "docker-daemon", "--insecure-registry", registry.host(), "--key", releasePub.toString());
      assertEquals(ExitCodes.USAGE_OR_INPUT, run.exitCode(), run.toString());
      assertTrue(run.err().contains("no-daemon.sock") && run.err().contains("DOCKER_HOST"), run.toString());
      assertFalse(run.err().contains("\tat "), "no stack trace: " + run);
    } finally {
      System.setProperty("DOCKER_HOST", dockerHost);
    }
    assertTrue(Files.isDirectory(work));
  }
}
