package dev.palisade.release.cli;

import dev.palisade.cli.BuildInfo;
import dev.palisade.release.pipeline.BuildStage;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every building command shares: where the commit is and where caches live. */
public final class CommonOptions {

  @Option(names = "--repo", paramLabel = "DIR", defaultValue = ".",
      description = "The git working tree to release (default: the current directory).")
  Path repo;

  @Option(names = "--snapshot",
      description = "Allow a build of a commit without a vX.Y.Z tag; the version then says 'snapshot'.")
  boolean snapshot;

  @Option(names = "--base-config", paramLabel = "FILE",
      description = "The pinned base (default: REPO/release/base.yaml).")
  Path baseConfig;

  @Option(names = "--image-config", paramLabel = "FILE",
      description = "What the image is (default: REPO/release/image.yaml).")
  Path imageConfig;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Downloads, the assembled base and jib's layer cache (default: $XDG_CACHE_HOME/palisade or"
          + " ~/.cache/palisade).")
  Path cacheDir;

  @Option(names = "--deb-dir", paramLabel = "DIR",
      description = "Pre-downloaded .deb files for the base (for machines without a Debian mirror).")
  Path debDir;

  BuildStage.Inputs inputs(Map<String, String> env) {
    Path root = repo.toAbsolutePath().normalize();
    return new BuildStage.Inputs(root,
        baseConfig != null ? baseConfig : root.resolve("release/base.yaml"),
        imageConfig != null ? imageConfig : root.resolve("release/image.yaml"),
        snapshot, cacheDir(env), debDir, BuildInfo.of("release-tool").version());
  }

  Path cacheDir(Map<String, String> env) {
    if (cacheDir != null) {
      return cacheDir.toAbsolutePath();
    }
    String xdg = env.get("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("palisade");
  }
}
