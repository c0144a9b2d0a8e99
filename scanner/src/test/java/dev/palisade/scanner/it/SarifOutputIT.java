package dev.palisade.scanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.scanner.cli.ExitCodes;
import dev.palisade.scanner.fixtures.CliRun;
import dev.palisade.testing.OciImage;
import dev.palisade.testing.Umoci;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --format sarif} on the bad image: SARIF 2.1.0 that GitHub code scanning accepts. */
class SarifOutputIT {

  private static final Set<String> LEVELS = Set.of("none", "note", "warning", "error");

  @TempDir static Path work;
  static OciImage image;

  @BeforeAll
  static void buildImage() {
    image = MinerImage.build(Umoci.create(), work.resolve("layout"), "bad", null);
  }

  @Test
  void sarifIsValidAndPointsAtRelativePaths() throws Exception {
    Path output = work.resolve("scan.sarif");
    CliRun run = CliRun.of("scan", "oci:" + image.layout() + ":bad", "--format", "sarif", "--quiet", "-o",
        output.toString());
    assertEquals(ExitCodes.FINDINGS, run.exitCode(), run.toString());
    assertEquals("", run.out(), "the report went to the file");
    JsonNode sarif = Findings.parse(Files.readString(output));

    assertEquals("2.1.0", sarif.path("version").asText());
    assertTrue(sarif.path("$schema").asText().contains("sarif"), sarif.path("$schema").asText());
    assertEquals(1, sarif.path("runs").size());
    JsonNode run0 = sarif.path("runs").get(0);
    JsonNode driver = run0.path("tool").path("driver");
    assertFalse(driver.path("name").asText().isEmpty(), driver.toString());

    List<String> ruleIds = new ArrayList<>();
    for (JsonNode rule : driver.path("rules")) {
      ruleIds.add(rule.path("id").asText());
      assertFalse(rule.path("shortDescription").path("text").asText().isEmpty(), rule.toString());
      assertTrue(LEVELS.contains(rule.path("defaultConfiguration").path("level").asText()), rule.toString());
      double severity = Double.parseDouble(rule.path("properties").path("security-severity").asText());
      assertTrue(severity > 0 && severity <= 10, rule.toString());
    }
    Set<String> expectedRules = new HashSet<>();
    MinerImage.EXPECTED_FINDINGS.forEach(line -> expectedRules.add(line.substring(0, line.indexOf(' '))));
    assertEquals(expectedRules, new HashSet<>(ruleIds), "one rule entry per rule that fired");
    assertEquals(ruleIds.size(), new HashSet<>(ruleIds).size(), "rule ids are unique: " + ruleIds);

    JsonNode results = run0.path("results");
    assertEquals(MinerImage.EXPECTED_FINDINGS.size(), results.size(), results.toPrettyString());
    Set<String> uris = new HashSet<>();
    for (JsonNode result : results) {
      String ruleId = result.path("ruleId").asText();
      assertEquals(ruleId, ruleIds.get(result.path("ruleIndex").asInt()), "ruleIndex points at its rule: " + result);
      assertTrue(LEVELS.contains(result.path("level").asText()), result.toString());
      assertFalse(result.path("message").path("text").asText().isEmpty(), result.toString());
      String uri = result.path("locations").get(0).path("physicalLocation").path("artifactLocation").path("uri").asText();
      assertFalse(uri.isEmpty() || uri.startsWith("/"), "relative uri: " + uri);
      URI parsed = new URI(uri);
      assertFalse(parsed.isAbsolute(), "no scheme: " + uri);
      uris.add(uri);
      assertFalse(result.path("partialFingerprints").isEmpty(), result.toString());
    }
    assertTrue(uris.contains(MinerImage.DELETED_MINER), uris.toString());
    assertTrue(uris.contains(MinerImage.RENAMED_BINARY), uris.toString());
    assertTrue(uris.contains(MinerImage.JAR + "/" + MinerImage.JAR_ENTRY), uris.toString());
    assertTrue(uris.contains("image-config"), uris.toString());

    for (JsonNode result : results) {
      if (result.path("ruleId").asText().equals("miner.xmrig.binary")) {
        assertTrue(result.path("message").path("text").asText().contains("deleted in layer 2"), result.toString());
        assertEquals("error", result.path("level").asText(), "a miner binary is an error: " + result);
      }
    }
    assertTrue(run0.path("invocations").get(0).path("executionSuccessful").asBoolean(), run0.toString());
  }
}
