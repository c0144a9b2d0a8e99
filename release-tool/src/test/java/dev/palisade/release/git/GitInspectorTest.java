package dev.palisade.release.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real repositories made with JGit in temp directories. */
class GitInspectorTest {

  static final Instant COMMIT_TIME = Instant.parse("2025-03-04T05:06:07Z");

  @TempDir Path dir;

  private RevCommit commit(Git git, String file, String content) throws Exception {
    Files.writeString(dir.resolve(file), content);
    git.add().addFilepattern(file).call();
    PersonIdent who = new PersonIdent("Rel Ease", "rel@example.org", Date.from(COMMIT_TIME), TimeZone.getTimeZone("UTC"));
    return git.commit().setMessage("c").setAuthor(who).setCommitter(who).setSign(false).call();
  }

  @Test
  void annotatedTagGivesVersionCommitAndCommitTime() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      RevCommit c = commit(git, "a.txt", "one");
      git.tag().setName("v1.2.3").setAnnotated(true).setMessage("release").setSigned(false).call();
      GitFacts facts = GitInspector.inspect(dir, false);
      assertEquals("1.2.3", facts.version());
      assertEquals("v1.2.3", facts.tag());
      assertEquals(c.name(), facts.commit());
      assertEquals(COMMIT_TIME, facts.commitTime());
      assertFalse(facts.snapshot());
    }
  }

  @Test
  void lightweightTagAndHighestOfSeveral() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      commit(git, "a.txt", "one");
      git.tag().setName("v1.2.3-rc.1").setAnnotated(false).call();
      git.tag().setName("v1.2.3").setAnnotated(false).call();
      git.tag().setName("not-a-release").setAnnotated(false).call();
      assertEquals("1.2.3", GitInspector.inspect(dir, false).version());
    }
  }

  @Test
  void noTagOnHeadIsRefusedUnlessSnapshot() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      commit(git, "a.txt", "one");
      git.tag().setName("v1.0.0").setAnnotated(false).call();
      RevCommit second = commit(git, "a.txt", "two");
      ReleaseException e = assertThrows(ReleaseException.class, () -> GitInspector.inspect(dir, false));
      assertEquals(Failure.GIT_STATE, e.failure());
      assertTrue(e.getMessage().contains("carries no release tag"), e.getMessage());
      GitFacts snapshot = GitInspector.inspect(dir, true);
      assertTrue(snapshot.snapshot());
      assertTrue(snapshot.version().startsWith("0.0.0-snapshot.20250304050607."), snapshot.version());
      assertEquals(second.name(), snapshot.commit());
    }
  }

  @Test
  void dirtyTrackedFilesAreRefusedAndListedButUntrackedFilesAreNot() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      commit(git, "a.txt", "one");
      commit(git, "b.txt", "one");
      git.tag().setName("v2.0.0").setAnnotated(false).call();
      Files.writeString(dir.resolve("untracked.txt"), "fine");
      assertEquals("2.0.0", GitInspector.inspect(dir, false).version());
      Files.writeString(dir.resolve("a.txt"), "changed");
      Files.delete(dir.resolve("b.txt"));
      ReleaseException e = assertThrows(ReleaseException.class, () -> GitInspector.inspect(dir, true));
      assertEquals(Failure.GIT_STATE, e.failure());
      assertTrue(e.getMessage().contains("\n  a.txt"), e.getMessage());
      assertTrue(e.getMessage().contains("\n  b.txt"), e.getMessage());
      assertFalse(e.getMessage().contains("untracked.txt"), e.getMessage());
    }
  }

  @Test
  void notARepository() {
    ReleaseException e = assertThrows(ReleaseException.class, () -> GitInspector.inspect(dir, true));
    assertEquals(Failure.GIT_STATE, e.failure());
  }
}
