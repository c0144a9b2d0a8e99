package dev.palisade.release.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.oci.digest.Digest;
import dev.palisade.release.TestBase;
import dev.palisade.release.TestRepo;
import dev.palisade.release.pipeline.BuildStage;
import dev.palisade.release.verify.ImageDifference;
import dev.palisade.release.verify.LayoutComparison;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same commit gives the same image from two clones in different directories, with different
 * file mtimes, built in two JVMs (another time zone, umask, user, working directory, jib cache, and
 * a later clock); a changed source file gives a different image, and the comparison names it.
 */
class ImageReproducibilityTest {

  @TempDir Path tmp;

  @Test
  void twoClonesGiveOneDigestAndAChangedFileAnother() throws Exception {
    TestBase.assembled(); // the shared base, assembled once per run
    Path origin = tmp.resolve("origin");
    TestRepo.create(origin, Map.of("hello/greeting.txt", "hello from the image\n")).close();
    Path a = TestRepo.cloneTo(origin, tmp.resolve("a"));
    Path b = TestRepo.cloneTo(origin, tmp.resolve("somewhere/else entirely/b"));
    TestRepo.touchAll(a, Instant.parse("1999-12-31T23:59:59Z"));
    TestRepo.touchAll(b, Instant.parse("2031-07-04T10:00:00Z"));

    // B in another JVM, with its own jib cache (the base copied so it is not assembled again).
    Path otherCache = tmp.resolve("other-cache");
    copyTree(TestBase.CACHE.resolve("base").resolve(TestBase.config().digest().hex()),
        otherCache.resolve("base").resolve(TestBase.config().digest().hex()));
    Path layoutB = tmp.resolve("out/b-layout");
    Process other = otherJvm(tmp.resolve("cwd"), tmp.resolve("b.log"), "build", "--repo", b.toString(), "--snapshot",
        "--cache-dir", otherCache.toString(), "--to", "oci:" + layoutB, "--json");

    BuiltImage imageA = build(a, tmp.resolve("out/a-layout"));

    assertTrue(other.waitFor(120, TimeUnit.SECONDS), "the other JVM did not finish");
    String log = Files.readString(tmp.resolve("b.log"), StandardCharsets.UTF_8);
    assertEquals(0, other.exitValue(), log);
    LayoutComparison.Result same = LayoutComparison.compare(imageA.layout(), layoutB);
    assertTrue(same.identical(), same.describe());
    assertTrue(log.contains(imageA.digest().toString()), log);
    assertLabels(imageA);

    // One changed source file, committed: another image, and the comparison says which file.
    Files.writeString(b.resolve("app/classes/hello/greeting.txt"), "hello from a changed image\n");
    try (Git git = Git.open(b.toFile())) {
      TestRepo.commit(git, "change the greeting");
    }
    BuiltImage changed = build(b, tmp.resolve("out/changed"));
    assertNotEquals(imageA.digest(), changed.digest());
    LayoutComparison.Result diff = LayoutComparison.compare(imageA.layout(), changed.layout());
    List<ImageDifference> files = diff.differences().stream().filter(d -> d.part().startsWith("layer")).toList();
    assertEquals(1, files.size(), diff.describe());
    assertTrue(files.get(0).where().endsWith("app/resources/hello/greeting.txt"), diff.describe());
    assertTrue(files.get(0).detail().contains("content sha256"), diff.describe());
    assertTrue(diff.describe().contains("config $.config.Labels.org.opencontainers.image.revision"), diff.describe());
  }

  static BuiltImage build(Path repo, Path layout) throws Exception {
    BuildStage.Inputs in = new BuildStage.Inputs(repo, repo.resolve("release/base.yaml"),
        repo.resolve("release/image.yaml"), true, TestBase.CACHE, null,
        dev.palisade.cli.BuildInfo.of("release-tool").version()); // the CLI in the other JVM stamps the same
    return new BuildStage(e -> {}).run(in, layout);
  }

  private static void assertLabels(BuiltImage image) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Path blobs = image.layout().resolve("blobs/sha256");
    JsonNode manifest = json.readTree(blobs.resolve(image.digest().hex()).toFile());
    JsonNode config = json.readTree(blobs.resolve(Digest.parse(manifest.path("config").path("digest").asText()).hex())
        .toFile());
    JsonNode labels = config.path("config").path("Labels");
    assertEquals(TestRepo.COMMIT_TIME.toString(), labels.path("org.opencontainers.image.created").asText());
    assertEquals(image.git().commit(), labels.path("org.opencontainers.image.revision").asText());
    assertEquals(TestBase.config().digest().toString(), labels.path("org.opencontainers.image.base.digest").asText());
    assertEquals("https://example.org/palisade/hello", labels.path("org.opencontainers.image.source").asText());
    assertEquals("65532:65532", config.path("config").path("User").asText());
    assertEquals(5, manifest.path("layers").size(), "the base layer and 4 application layers: " + manifest);
  }

  /** The CLI in another JVM: another working dir, time zone, umask, user name and home. */
  static Process otherJvm(Path cwd, Path log, String... args) throws Exception {
    Files.createDirectories(cwd);
    Path home = Files.createDirectories(cwd.resolve("home"));
    List<String> command = new ArrayList<>(List.of("sh", "-c", "umask 077; exec \"$@\"", "sh",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Duser.name=someone-else",
        "-Duser.home=" + home, "-Duser.language=tr", "-Duser.country=TR", "-cp", System.getProperty("java.class.path"),
        "dev.palisade.release.cli.ReleaseCli"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("TZ", "Asia/Kathmandu");
    pb.environment().remove("XDG_CACHE_HOME");
    return pb.start();
  }

  static void copyTree(Path from, Path to) throws Exception {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

}
