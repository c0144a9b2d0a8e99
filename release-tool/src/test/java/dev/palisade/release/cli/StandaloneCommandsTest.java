package dev.palisade.release.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.release.Failure;
import dev.palisade.release.TestBase;
import dev.palisade.release.TestCli;
import dev.palisade.release.TestRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sbom} and {@code provenance} on a layout {@code release} wrote: the same documents, from the layout. */
class StandaloneCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void sbomAndProvenanceOfAnExistingLayoutMatchWhatReleaseWrote() throws Exception {
    TestBase.assembled();
    Path repo = tmp.resolve("repo");
    TestRepo.create(repo, Map.of("hello/greeting.txt", "hi\n")).close();
    TestRepo.writeClasspath(repo);
    Path layout = tmp.resolve("image");
    Path out = tmp.resolve("out");
    TestCli.Run release = TestCli.run(Map.of(), "release", "--repo", repo.toString(), "--snapshot",
        "--cache-dir", TestBase.CACHE.toString(), "--to", "oci:" + layout, "--out-dir", out.toString(), "--json");
    assertEquals(0, release.exitCode(), release.toString());

    Path sbom = tmp.resolve("standalone/sbom.cdx.json");
    TestCli.Run sbomRun = TestCli.run(Map.of(), "sbom", "--repo", repo.toString(), "--image", "oci:" + layout,
        "-o", sbom.toString());
    assertEquals(0, sbomRun.exitCode(), sbomRun.toString());
    assertEquals(Files.readString(out.resolve("sbom.cdx.json")), Files.readString(sbom), "same image, same SBOM bytes");

    Path provenance = tmp.resolve("standalone/provenance.intoto.json");
    TestCli.Run provRun = TestCli.run(Map.of(), "provenance", "--repo", repo.toString(), "--image", "oci:" + layout,
        "-o", provenance.toString());
    assertEquals(0, provRun.exitCode(), provRun.toString());
    JsonNode mine = JSON.readTree(provenance.toFile());
    JsonNode released = JSON.readTree(out.resolve("provenance.intoto.json").toFile());
    assertEquals(released.path("subject"), mine.path("subject"));
    assertEquals(released.at("/predicate/buildDefinition/resolvedDependencies"),
        mine.at("/predicate/buildDefinition/resolvedDependencies"));
    assertEquals(released.at("/predicate/buildDefinition/internalParameters"),
        mine.at("/predicate/buildDefinition/internalParameters"));
    assertEquals(released.at("/predicate/buildDefinition/externalParameters/source"),
        mine.at("/predicate/buildDefinition/externalParameters/source"));

    // Another jar on the checkout's classpath than in the image: refused, the SBOM would lie.
    Files.writeString(repo.resolve("app/libs/palisade-greeting-1.0.0.jar"), "not the jar in the image");
    TestCli.Run tampered = TestCli.run(Map.of(), "sbom", "--repo", repo.toString(), "--image", "oci:" + layout,
        "-o", tmp.resolve("x.json").toString());
    assertEquals(Failure.USAGE.exitCode(), tampered.exitCode(), tampered.toString());
    assertTrue(tampered.err().contains("libs/palisade-greeting-1.0.0.jar in the image differs"), tampered.err());
    assertTrue(Files.notExists(tmp.resolve("x.json")));
  }

  @Test
  void refusesWhatIsNotALayout() throws Exception {
    TestCli.Run notOci = TestCli.run(Map.of(), "sbom", "--image", "example.org/x:1", "-o", tmp.resolve("s").toString());
    assertEquals(Failure.USAGE.exitCode(), notOci.exitCode(), notOci.toString());
    assertTrue(notOci.err().contains("expected oci:DIR"), notOci.err());
    TestCli.Run missing = TestCli.run(Map.of(), "provenance", "--image", "oci:" + tmp.resolve("nothing"),
        "-o", tmp.resolve("p").toString());
    assertEquals(Failure.USAGE.exitCode(), missing.exitCode(), missing.toString());
    assertTrue(missing.err().contains("not an OCI layout"), missing.err());
    TestCli.Run pushFile = TestCli.run(Map.of(), "push", "--image", "oci:" + tmp, "--to", "oci:" + tmp);
    assertEquals(Failure.USAGE.exitCode(), pushFile.exitCode(), pushFile.toString());
    TestCli.Run help = TestCli.run(Map.of(), "--help");
    for (String command : new String[] {"sbom", "provenance", "push"}) {
      assertTrue(help.out().contains("  " + command + " "), help.out());
    }
  }
}
