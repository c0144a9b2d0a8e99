package dev.palisade.release.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.release.Failure;
import dev.palisade.release.TestBase;
import dev.palisade.release.TestCli;
import dev.palisade.release.TestRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify-reproducible through the CLI: a clean clone rebuilds the same bytes; a tampered build is named. */
class VerifyReproducibleTest {

  @TempDir Path tmp;

  @Test
  void cleanRebuildMatchesAndATamperedBuildIsNamedDownToTheFile() throws Exception {
    TestBase.assembled();
    Path repo = tmp.resolve("repo");
    TestRepo.create(repo, Map.of("hello/greeting.txt", "hi\n")).close();
    TestRepo.writeClasspath(repo);
    String cache = TestBase.CACHE.toString();
    TestCli.Run built = TestCli.run(Map.of(), "build", "--repo", repo.toString(), "--snapshot", "--cache-dir", cache,
        "--to", "oci:" + tmp.resolve("built"));
    assertEquals(0, built.exitCode(), built.toString());
    // The clean clone has no untracked files: its "prepare" step writes the classpath file, like
    // release/prepare-gateway.sh does for the gateway.
    String prepare = "cp '" + repo.resolve("app/classpath.txt") + "' app/classpath.txt";

    TestCli.Run same = TestCli.run(Map.of(), "verify-reproducible", "--repo", repo.toString(), "--snapshot",
        "--cache-dir", cache, "--against", "oci:" + tmp.resolve("built"), "--prepare", prepare);
    assertEquals(0, same.exitCode(), same.toString());
    assertTrue(same.out().startsWith("reproducible: sha256:"), same.toString());

    // A build of a different tree claimed to be this commit: exit 16, and which layer and file differ.
    Path other = TestRepo.cloneTo(repo, tmp.resolve("other"));
    Files.writeString(other.resolve("app/classes/hello/greeting.txt"), "tampered\n");
    try (Git git = Git.open(other.toFile())) {
      TestRepo.commit(git, "tamper");
    }
    TestCli.Run tampered = TestCli.run(Map.of(), "build", "--repo", other.toString(), "--snapshot", "--cache-dir",
        cache, "--to", "oci:" + tmp.resolve("tampered"));
    assertEquals(0, tampered.exitCode(), tampered.toString());
    TestCli.Run differs = TestCli.run(Map.of(), "verify-reproducible", "--repo", repo.toString(), "--snapshot",
        "--cache-dir", cache, "--against", "oci:" + tmp.resolve("tampered"), "--prepare", prepare);
    assertEquals(Failure.NOT_REPRODUCIBLE.exitCode(), differs.exitCode(), differs.toString());
    assertTrue(differs.err().contains("not reproducible"), differs.toString());
    assertTrue(differs.err().matches("(?s).*layer 4 \\(sha256:[0-9a-f]{64} != sha256:[0-9a-f]{64}\\) "
        + "app/resources/hello/greeting.txt: size 9 != 3, content sha256 .*"), differs.toString());
  }
}
