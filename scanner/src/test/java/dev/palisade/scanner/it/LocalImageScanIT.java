package dev.palisade.scanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.scanner.cli.ExitCodes;
import dev.palisade.scanner.fixtures.CliRun;
import dev.palisade.testing.OciImage;
import dev.palisade.testing.Skopeo;
import dev.palisade.testing.SkopeoOption;
import dev.palisade.testing.Umoci;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad image as umoci wrote it (gzip, OCI layout), and as skopeo rewrote it: zstd layers,
 * {@code oci-archive:} and {@code docker-archive:} (whose {@code layer.tar} entries are symlinks).
 * Every form must give the same findings in the same places.
 */
class LocalImageScanIT {

  @TempDir static Path work;

  static OciImage image;
  static Skopeo skopeo;

  @BeforeAll
  static void buildImage() {
    image = MinerImage.build(Umoci.create(), work.resolve("layout"), "bad", null);
    skopeo = Skopeo.create();
  }

  @AfterAll
  static void closeSkopeo() {
    if (skopeo != null) {
      skopeo.close();
    }
  }

  static CliRun scanJson(String imageArgument, String... more) {
    List<String> args = new ArrayList<>(List.of("scan", imageArgument, "--format", "json", "--quiet"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** Scans, checks exit 1 and the exact findings, and returns the single platform's report. */
  static JsonNode assertBadImage(String imageArgument) {
    CliRun run = scanJson(imageArgument);
    assertEquals(ExitCodes.FINDINGS, run.exitCode(), run.toString());
    JsonNode report = Findings.parse(run.out());
    assertEquals("findings", report.path("status").asText(), run.out());
    JsonNode platform = Findings.onlyPlatform(report);
    assertEquals("linux/amd64", platform.path("platform").asText());
    assertEquals(Findings.sorted(MinerImage.EXPECTED_FINDINGS), Findings.describe(platform), run.out());
    assertEquals(MinerImage.LAYERS, platform.path("layers").size(), run.out());
    assertEquals(0, report.path("incomplete").size() + platform.path("incomplete").size(),
        "nothing was skipped: " + run.out());
    assertEquals(MinerImage.EXPECTED_FINDINGS.size(), report.path("findingCount").asInt());
    assertEquals("palisade-default", report.path("rules").path("name").asText());
    assertTrue(report.path("rules").path("digest").asText().startsWith("sha256:"), run.out());
    return platform;
  }

  private static Set<String> compressions(JsonNode platform) {
    Set<String> seen = new HashSet<>();
    platform.path("layers").forEach(layer -> seen.add(layer.path("compression").asText()));
    return seen;
  }

  /** How many {@code <id>/layer.tar} entries of a docker-archive are symlinks. */
  private static int symlinkedLayerTars(Path archive) throws IOException {
    int count = 0;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(archive))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.getName().endsWith("/layer.tar") && entry.isSymbolicLink()) {
          count++;
        }
      }
    }
    return count;
  }

  @Test
  void ociLayoutFromUmociHasEveryFindingInItsLayer() {
    JsonNode platform = assertBadImage("oci:" + image.layout() + ":bad");
    assertEquals(Set.of("gzip"), compressions(platform));
    for (JsonNode finding : platform.path("findings")) {
      if (finding.path("source").asText().equals("layer")) {
        int index = finding.path("layerIndex").asInt();
        assertEquals(platform.path("layers").get(index).path("digest").asText(), finding.path("layerDigest").asText(),
            "a finding names the digest of its layer: " + finding);
        assertTrue(finding.path("offset").asLong() >= 0, finding.toString());
      }
      assertFalse(finding.path("evidence").asText().isEmpty(), "every finding shows evidence: " + finding);
    }
  }

  @Test
  void tableReportShowsTheDeletedMiner() {
    CliRun run = CliRun.of("scan", "oci:" + image.layout() + ":bad", "--quiet");
    assertEquals(ExitCodes.FINDINGS, run.exitCode(), run.toString());
    assertTrue(run.out().contains(MinerImage.DELETED_MINER), run.toString());
    assertTrue(run.out().contains("miner.xmrig.binary"), run.toString());
  }

  @Test
  void failOnCriticalStillFailsOnTheBinaries() {
    CliRun critical = scanJson("oci:" + image.layout() + ":bad", "--fail-on", "critical");
    assertEquals(ExitCodes.FINDINGS, critical.exitCode(), "XMRig and cpuminer binaries are critical: " + critical);
  }

  @Test
  void zstdLayersWrittenBySkopeoGiveTheSameFindings() {
    Path zstdLayout = work.resolve("zstd");
    skopeo.copy(image.skopeoReference(), Skopeo.oci(zstdLayout, "bad"), SkopeoOption.zstd(),
        SkopeoOption.format(SkopeoOption.ManifestFormat.OCI));
    JsonNode platform = assertBadImage("oci:" + zstdLayout + ":bad");
    assertEquals(Set.of("zstd"), compressions(platform), platform.toString());
    platform.path("layers").forEach(layer ->
        assertEquals("application/vnd.oci.image.layer.v1.tar+zstd", layer.path("mediaType").asText(), layer.toString()));
  }

  @Test
  void ociArchiveGivesTheSameFindings() {
    Path archive = work.resolve("bad.oci.tar");
    skopeo.copy(image.skopeoReference(), Skopeo.ociArchive(archive, "bad"));
    assertBadImage("oci-archive:" + archive + ":bad");
    assertBadImage("oci-archive:" + archive);
  }

  @Test
  void dockerArchiveWithSymlinkedLayersGivesTheSameFindings() throws IOException {
    Path archive = work.resolve("bad.docker.tar");
    skopeo.copy(image.skopeoReference(), Skopeo.dockerArchive(archive, "example.test/palisade/bad:1"));
    assertEquals(MinerImage.LAYERS, symlinkedLayerTars(archive), "skopeo wrote every layer.tar as a symlink");
    JsonNode platform = assertBadImage("docker-archive:" + archive);
    assertEquals(Set.of("none"), compressions(platform), "docker save layers are plain tars: " + platform);
    assertBadImage("docker-archive:" + archive + ":example.test/palisade/bad:1");
  }
}
