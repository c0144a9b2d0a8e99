package dev.palisade.release.pipeline;

import dev.palisade.release.Failure;
import dev.palisade.release.FileTrees;
import dev.palisade.release.ReleaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Scratch directories under the cache (same filesystem as jib's cache, so moves are cheap). */
public final class WorkDirs {
  private WorkDirs() {}

  public static Path temporary(Path cacheDir) throws ReleaseException {
    try {
      return Files.createTempDirectory(Files.createDirectories(cacheDir.resolve("tmp")), "image-");
    } catch (IOException e) {
      throw new ReleaseException(Failure.IO, "cannot create a work directory under " + cacheDir + ": "
          + e.getMessage(), e);
    }
  }

  /** Best effort: a leftover scratch directory is not worth failing a release over. */
  public static void delete(Path dir) {
    try {
      FileTrees.deleteTree(dir);
    } catch (IOException e) {
      // left for the next cache cleanup
    }
  }
}
