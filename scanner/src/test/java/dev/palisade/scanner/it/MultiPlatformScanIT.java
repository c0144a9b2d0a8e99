package dev.palisade.scanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.oci.digest.Digest;
import dev.palisade.scanner.cli.ExitCodes;
import dev.palisade.scanner.fixtures.CliRun;
import dev.palisade.testing.History;
import dev.palisade.testing.ImageConfig;
import dev.palisade.testing.OciImage;
import dev.palisade.testing.RegistryExtension;
import dev.palisade.testing.Skopeo;
import dev.palisade.testing.SkopeoOption;
import dev.palisade.testing.Umoci;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An OCI index over two single-platform umoci images, only one of them bad: the clean one is
 * linux/amd64, the bad one linux/arm64. Scanning the index must look at both.
 */
class MultiPlatformScanIT {

  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final RegistryExtension registry = RegistryExtension.plain();

  @TempDir static Path work;
  static Path layout;

  @BeforeAll
  static void buildIndex() throws Exception {
    Umoci umoci = Umoci.create();
    layout = work.resolve("layout");
    OciImage clean = umoci.newImage(layout, "amd64");
    umoci.insertFile(clean, "/app/hello.sh", MinerImage.utf8("#!/bin/sh\necho hello from amd64\n"),
        History.createdBy("COPY hello.sh /app/hello.sh"));
    umoci.configure(clean, ImageConfig.unchanged().withEntrypoint("/app/hello.sh").withHistory(History.NONE));
    MinerImage.build(umoci, layout, "arm64", "arm64");
    writeIndex(layout, "multi", Map.of("amd64", "amd64", "arm64", "arm64"));
  }

  /** Adds an OCI index tagged {@code tag} over the layout's images (tag to architecture); umoci cannot make one. */
  static void writeIndex(Path layout, String tag, Map<String, String> tagToArchitecture) throws Exception {
    ObjectNode layoutIndex = (ObjectNode) JSON.readTree(layout.resolve("index.json").toFile());
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", OCI_INDEX);
    ArrayNode manifests = index.putArray("manifests");
    for (Map.Entry<String, String> entry : new TreeMap<>(tagToArchitecture).entrySet()) {
      JsonNode descriptor = null;
      for (JsonNode candidate : layoutIndex.path("manifests")) {
        if (entry.getKey().equals(candidate.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
          descriptor = candidate;
        }
      }
      if (descriptor == null) {
        throw new IllegalStateException("no tag " + entry.getKey() + " in " + layoutIndex);
      }
      ObjectNode platformEntry = manifests.addObject();
      platformEntry.put("mediaType", OCI_MANIFEST);
      platformEntry.put("digest", descriptor.path("digest").asText());
      platformEntry.put("size", descriptor.path("size").asLong());
      platformEntry.putObject("platform").put("architecture", entry.getValue()).put("os", "linux");
    }
    byte[] bytes = JSON.writeValueAsBytes(index);
    Digest digest = Digest.sha256(bytes);
    Files.write(layout.resolve("blobs/sha256/" + digest.hex()), bytes);
    ObjectNode tagged = ((ArrayNode) layoutIndex.path("manifests")).addObject();
    tagged.put("mediaType", OCI_INDEX);
    tagged.put("digest", digest.toString());
    tagged.put("size", bytes.length);
    tagged.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
    Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(layoutIndex));
  }

  private static CliRun scan(String image, String... more) {
    List<String> args = new ArrayList<>(List.of("scan", image, "--format", "json", "--quiet"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static Map<String, JsonNode> byPlatform(JsonNode report) {
    Map<String, JsonNode> platforms = new TreeMap<>();
    report.path("platforms").forEach(p -> platforms.put(p.path("platform").asText(), p));
    return platforms;
  }

  private static void assertBothPlatformsScanned(CliRun run) {
    assertEquals(ExitCodes.FINDINGS, run.exitCode(), run.toString());
    JsonNode report = Findings.parse(run.out());
    Map<String, JsonNode> platforms = byPlatform(report);
    assertEquals(List.of("linux/amd64", "linux/arm64"), new ArrayList<>(platforms.keySet()), run.out());
    assertEquals("clean", platforms.get("linux/amd64").path("status").asText(), run.out());
    assertEquals(List.of(), Findings.describe(platforms.get("linux/amd64")), run.out());
    assertEquals(1, platforms.get("linux/amd64").path("layers").size(), run.out());
    assertEquals("findings", platforms.get("linux/arm64").path("status").asText(), run.out());
    assertEquals(Findings.sorted(MinerImage.EXPECTED_FINDINGS), Findings.describe(platforms.get("linux/arm64")),
        run.out());
    assertEquals("findings", report.path("status").asText());
  }

  @Test
  void everyPlatformIsScannedByDefault() {
    assertBothPlatformsScanned(scan("oci:" + layout + ":multi"));
  }

  @Test
  void platformOptionPicksOne() {
    CliRun arm = scan("oci:" + layout + ":multi", "--platform", "linux/arm64");
    assertEquals(ExitCodes.FINDINGS, arm.exitCode(), arm.toString());
    JsonNode armPlatform = Findings.onlyPlatform(Findings.parse(arm.out()));
    assertEquals("linux/arm64", armPlatform.path("platform").asText());
    assertEquals(Findings.sorted(MinerImage.EXPECTED_FINDINGS), Findings.describe(armPlatform), arm.out());

    CliRun amd = scan("oci:" + layout + ":multi", "--platform", "linux/amd64");
    assertEquals(ExitCodes.CLEAN, amd.exitCode(), "the amd64 image is clean: " + amd);
    JsonNode report = Findings.parse(amd.out());
    assertEquals("clean", report.path("status").asText());
    assertEquals("linux/amd64", Findings.onlyPlatform(report).path("platform").asText());
  }

  @Test
  void unknownPlatformIsAUsageErrorListingTheAvailableOnes() {
    CliRun run = scan("oci:" + layout + ":multi", "--platform", "linux/s390x");
    assertEquals(ExitCodes.USAGE_OR_INPUT, run.exitCode(), run.toString());
    assertTrue(run.err().contains("linux/s390x"), run.toString());
    assertTrue(run.err().contains("linux/amd64") && run.err().contains("linux/arm64"), "lists what exists: " + run);
    assertEquals("", run.out(), "no report for a platform that does not exist");
  }

  @Test
  void indexPushedToARegistryIsScannedPerPlatform() {
    try (Skopeo skopeo = Skopeo.create()) {
      skopeo.copy(Skopeo.oci(layout, "multi"), registry.dockerTransport("palisade/multi", "1"),
          SkopeoOption.pushTo(registry), SkopeoOption.all());
    }
    assertBothPlatformsScanned(scan(registry.imageReference("palisade/multi", "1"), "--insecure-registry",
        registry.host()));
  }
}
