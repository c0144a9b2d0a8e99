package dev.palisade.release.verify;

import dev.palisade.release.Failure;
import dev.palisade.release.FileTrees;
import dev.palisade.release.ReleaseEvent;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.image.BuiltImage;
import dev.palisade.release.pipeline.BuildStage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * {@code verify-reproducible}: clones the commit of a working tree into a fresh directory, prepares
 * the application there (by default {@code release/prepare-gateway.sh}, which runs Maven), builds
 * the image again, and compares it with a given build. A clean clone is the point: nothing of the
 * first build (untracked files, caches of compiled classes, mtimes) can reach the second.
 */
public final class CleanRebuild {

  /** What to rebuild and how. {@code prepare} runs in the clone through {@code sh -c}. */
  public record Request(Path repo, String commit, boolean snapshot, Path cacheDir, Path debDir, String toolVersion,
      String prepare, Path workDir) {
    public Request {
      Objects.requireNonNull(repo, "repo");
      Objects.requireNonNull(commit, "commit");
      Objects.requireNonNull(cacheDir, "cacheDir");
      Objects.requireNonNull(toolVersion, "toolVersion");
      Objects.requireNonNull(prepare, "prepare");
      Objects.requireNonNull(workDir, "workDir");
    }
  }

  private final Consumer<ReleaseEvent> events;

  public CleanRebuild(Consumer<ReleaseEvent> events) {
    this.events = events;
  }

  /** Rebuilds and compares with {@code reference} (an OCI layout); the clone is deleted afterwards. */
  public LayoutComparison.Result verify(Request request, Path reference) throws ReleaseException {
    Path clone = request.workDir().resolve("clone");
    try {
      events.accept(new ReleaseEvent("verify", "cloning " + request.commit() + " into " + clone));
      try (Git git = Git.cloneRepository().setURI(request.repo().toUri().toString()).setDirectory(clone.toFile())
          .setCloneAllBranches(false).setNoCheckout(true).call()) {
        git.checkout().setName(request.commit()).call();
        // Tags: the version comes from the tag on the commit, so the clone needs them.
        git.fetch().setRemote("origin").setRefSpecs("+refs/tags/*:refs/tags/*").call();
      }
      prepare(request.prepare(), clone);
      BuildStage.Inputs in = new BuildStage.Inputs(clone, clone.resolve("release/base.yaml"),
          clone.resolve("release/image.yaml"), request.snapshot(), request.cacheDir(), request.debDir(),
          request.toolVersion());
      BuiltImage rebuilt = new BuildStage(events).run(in, request.workDir().resolve("rebuilt"));
      events.accept(new ReleaseEvent("verify", "rebuilt " + rebuilt.digest()));
      return LayoutComparison.compare(reference, rebuilt.layout());
    } catch (GitAPIException e) {
      throw new ReleaseException(Failure.GIT_STATE, "cannot clone " + request.repo() + " at " + request.commit() + ": "
          + e.getMessage(), e);
    } catch (IOException e) {
      throw new ReleaseException(Failure.IO, "cannot compare the rebuild: " + e.getMessage(), e);
    } finally {
      try {
        FileTrees.deleteTree(clone);
      } catch (IOException e) {
        events.accept(new ReleaseEvent("verify", "could not delete " + clone + ": " + e.getMessage()));
      }
    }
  }

  private void prepare(String command, Path clone) throws ReleaseException, IOException {
    events.accept(new ReleaseEvent("verify", "preparing the clone: " + command));
    Process process = new ProcessBuilder(List.of("sh", "-c", command)).directory(clone.toFile())
        .redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        events.accept(new ReleaseEvent("prepare", line));
      }
    }
    try {
      if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new ReleaseException(Failure.BUILD, "preparing the clean clone failed (" + command + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReleaseException(Failure.BUILD, "interrupted while preparing the clean clone");
    }
    if (!Files.isDirectory(clone.resolve("release"))) {
      throw new ReleaseException(Failure.USAGE, "the clone has no release/ directory");
    }
  }
}
