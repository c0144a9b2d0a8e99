package dev.palisade.release.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.release.Failure;
import dev.palisade.release.TestBase;
import dev.palisade.release.TestCli;
import dev.palisade.release.TestRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each refusal through the CLI, with its own exit code and message; none of them builds anything. */
class CliRefusalsTest {

  @TempDir Path tmp;

  private Path repo() throws Exception {
    Path origin = tmp.resolve("repo");
    TestRepo.create(origin, Map.of("hello/greeting.txt", "hi\n")).close();
    TestRepo.writeClasspath(origin);
    return origin;
  }

  private TestCli.Run build(Path repo, String... more) {
    String[] args = new String[6 + more.length];
    args[0] = "build";
    args[1] = "--repo";
    args[2] = repo.toString();
    args[3] = "--cache-dir";
    args[4] = TestBase.CACHE.toString();
    args[5] = "--to=oci:" + tmp.resolve("out");
    System.arraycopy(more, 0, args, 6, more.length);
    return TestCli.run(Map.of(), args);
  }

  @Test
  void dirtyTreeIsRefusedWithTheListOfFiles() throws Exception {
    Path repo = repo();
    Files.writeString(repo.resolve("release/image.yaml"), "\n# local edit\n", java.nio.file.StandardOpenOption.APPEND);
    Files.delete(repo.resolve("app/classes/hello/greeting.txt"));
    Files.writeString(repo.resolve("untracked.txt"), "untracked files do not make a tree dirty");
    TestCli.Run run = build(repo, "--snapshot");
    assertEquals(Failure.GIT_STATE.exitCode(), run.exitCode(), run.toString());
    assertTrue(run.err().contains("uncommitted changes"), run.toString());
    assertTrue(run.err().contains("\n  app/classes/hello/greeting.txt\n  release/image.yaml"), run.toString());
    assertFalse(run.err().contains("untracked.txt"), run.toString());
    assertFalse(Files.exists(tmp.resolve("out/index.json")));
  }

  @Test
  void untaggedCommitIsRefusedWithoutSnapshot() throws Exception {
    TestCli.Run run = build(repo());
    assertEquals(Failure.GIT_STATE.exitCode(), run.exitCode(), run.toString());
    assertTrue(run.err().contains("carries no release tag (vMAJOR.MINOR.PATCH)") && run.err().contains("--snapshot"),
        run.toString());
  }

  @Test
  void baseNamedOnlyByATagIsRefused() throws Exception {
    Path repo = repo();
    Path baseByTag = tmp.resolve("base-by-tag.yaml");
    Files.writeString(baseByTag, "kind: image\nimage: gcr.io/distroless/java17-debian12:nonroot\n");
    TestCli.Run run = build(repo, "--snapshot", "--base-config", baseByTag.toString());
    assertEquals(Failure.BASE_IMAGE.exitCode(), run.exitCode(), run.toString());
    assertTrue(run.err().contains("gcr.io/distroless/java17-debian12:nonroot is named only by a tag; pin it by digest"),
        run.toString());
  }

  @Test
  void assembledBaseWithoutAPinIsRefused() throws Exception {
    Path repo = repo();
    Path unpinned = tmp.resolve("unpinned.yaml");
    Files.writeString(unpinned, Files.readString(TestBase.BASE_YAML).replaceAll("(?m)^digest: .*$", ""));
    TestCli.Run run = build(repo, "--snapshot", "--base-config", unpinned.toString());
    assertEquals(Failure.BASE_IMAGE.exitCode(), run.exitCode(), run.toString());
    assertTrue(run.err().contains("has no pinned digest"), run.toString());
  }
}
