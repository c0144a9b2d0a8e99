package dev.palisade.release.image;

import dev.palisade.release.base.AssembledBase;
import dev.palisade.release.base.BaseConfig;
import dev.palisade.release.git.GitFacts;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything the image build reads. Nothing else may influence the bytes: not the clock, not the
 * checkout path, not file mtimes.
 *
 * @param assembledBase the locally assembled base, or null when {@code base} is a registry image
 * @param toolVersion stamped into the image history by jib; fixed per release-tool version
 */
public record BuildRequest(GitFacts git, BaseConfig base, AssembledBase assembledBase, AppInputs app,
    String imageName, String sourceUrl, String toolVersion, Path cacheDir) {
  public BuildRequest {
    Objects.requireNonNull(git, "git");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(imageName, "imageName");
    Objects.requireNonNull(sourceUrl, "sourceUrl");
    Objects.requireNonNull(toolVersion, "toolVersion");
    Objects.requireNonNull(cacheDir, "cacheDir");
    if (base.assembled() && assembledBase == null) {
      throw new IllegalArgumentException("a debian-packages base must be assembled first");
    }
  }
}
