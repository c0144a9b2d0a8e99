package dev.palisade.release.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.oci.digest.Digest;
import dev.palisade.release.SmallImage;
import dev.palisade.release.TestBase;
import dev.palisade.release.base.BaseConfig;
import dev.palisade.release.image.BuiltImage;
import dev.palisade.release.image.ClasspathEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SLSA v1 provenance, field by field, with the GitHub Actions environment of a tag build. */
class ProvenanceGeneratorTest {

  @TempDir Path tmp;

  static final Map<String, String> GITHUB = Map.of(
      "GITHUB_ACTIONS", "true",
      "GITHUB_SERVER_URL", "https://github.com",
      "GITHUB_REPOSITORY", "palisade-dev/palisade",
      "GITHUB_REPOSITORY_ID", "123456",
      "GITHUB_REPOSITORY_OWNER_ID", "654321",
      "GITHUB_WORKFLOW_REF", "palisade-dev/palisade/.github/workflows/release.yml@refs/tags/v1.0.0",
      "GITHUB_EVENT_NAME", "push",
      "GITHUB_RUN_ID", "987654321",
      "GITHUB_RUN_ATTEMPT", "2");

  @Test
  void describesTheBuildFromTheCommitTheBaseAndEveryJar() throws Exception {
    Path jar = Files.write(tmp.resolve("picocli-4.7.7.jar"), new byte[] {'P', 'K', 3, 4});
    ClasspathEntry dep = new ClasspathEntry("info.picocli", "picocli", "4.7.7", null, "compile", jar);
    BuiltImage image = SmallImage.write(tmp.resolve("layout"), List.of(dep), null);
    BaseConfig base = TestBase.config();
    Map<String, String> cli = new LinkedHashMap<>();
    cli.put("to", "ghcr.io/palisade-dev/gateway:1.0.0");
    cli.put("failOn", "low");
    Instant start = Instant.parse("2026-01-02T03:04:05Z");
    String text = new ProvenanceGenerator(GITHUB).generate(image, base, "https://github.com/palisade-dev/palisade",
        new ProvenanceGenerator.Inputs(cli, "0.1.0", start, start.plusSeconds(42)));
    JsonNode p = new ObjectMapper().readTree(text);

    assertEquals("https://in-toto.io/Statement/v1", p.path("_type").asText());
    assertEquals("https://slsa.dev/provenance/v1", p.path("predicateType").asText());
    assertEquals(image.imageName(), p.path("subject").path(0).path("name").asText());
    assertEquals(image.digest().hex(), p.path("subject").path(0).path("digest").path("sha256").asText());

    JsonNode def = p.path("predicate").path("buildDefinition");
    assertEquals(ProvenanceGenerator.BUILD_TYPE, def.path("buildType").asText());
    JsonNode ext = def.path("externalParameters");
    assertEquals("refs/tags/v1.0.0", ext.path("workflow").path("ref").asText());
    assertEquals("https://github.com/palisade-dev/palisade", ext.path("workflow").path("repository").asText());
    assertEquals(".github/workflows/release.yml", ext.path("workflow").path("path").asText());
    assertEquals("refs/tags/v1.0.0", ext.path("source").path("ref").asText());
    assertEquals(image.git().commit(), ext.path("source").path("commit").asText());
    assertEquals("ghcr.io/palisade-dev/gateway:1.0.0", ext.path("inputs").path("to").asText());
    assertEquals(List.of("to", "failOn"), fieldNames(ext.path("inputs")), "CLI inputs keep their order");
    JsonNode internal = def.path("internalParameters");
    assertEquals(image.git().commitTime().toString(), internal.path("buildTime").asText());
    assertEquals("push", internal.path("github").path("event_name").asText());

    JsonNode deps = def.path("resolvedDependencies");
    assertEquals(3, deps.size(), deps.toString());
    assertEquals("git+https://github.com/palisade-dev/palisade@refs/tags/v1.0.0", deps.path(0).path("uri").asText());
    assertEquals(image.git().commit(), deps.path(0).path("digest").path("gitCommit").asText());
    assertEquals("oci://" + base.name(), deps.path(1).path("uri").asText());
    assertEquals(base.digest().hex(), deps.path(1).path("digest").path("sha256").asText());
    assertEquals("pkg:maven/info.picocli/picocli@4.7.7", deps.path(2).path("uri").asText());
    assertEquals(Digest.sha256(Files.readAllBytes(jar)).hex(), deps.path(2).path("digest").path("sha256").asText());

    JsonNode run = p.path("predicate").path("runDetails");
    assertEquals("https://github.com/palisade-dev/palisade/.github/workflows/release.yml@refs/tags/v1.0.0",
        run.path("builder").path("id").asText());
    assertEquals("https://github.com/palisade-dev/palisade/actions/runs/987654321/attempts/2",
        run.path("metadata").path("invocationId").asText());
    assertEquals("2026-01-02T03:04:05Z", run.path("metadata").path("startedOn").asText());
    assertEquals("2026-01-02T03:04:47Z", run.path("metadata").path("finishedOn").asText());
    // Same inputs, same bytes (no JVM-dependent key order).
    assertEquals(text, new ProvenanceGenerator(GITHUB).generate(image, base, "https://github.com/palisade-dev/palisade",
        new ProvenanceGenerator.Inputs(cli, "0.1.0", start, start.plusSeconds(42))));
  }

  @Test
  void outsideActionsTheBuilderSaysLocal() throws Exception {
    BuiltImage image = SmallImage.write(tmp.resolve("layout"), List.of(), null);
    JsonNode p = new ObjectMapper().readTree(new ProvenanceGenerator(Map.of()).generate(image, TestBase.config(),
        "https://example.org/x", new ProvenanceGenerator.Inputs(Map.of(), "0.1.0", Instant.EPOCH, Instant.EPOCH)));
    assertEquals("local:release-tool", p.path("predicate").path("runDetails").path("builder").path("id").asText());
    assertTrue(p.path("predicate").path("buildDefinition").path("internalParameters").path("github").isMissingNode());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
