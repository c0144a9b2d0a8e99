package dev.palisade.release.pipeline;

import dev.palisade.release.ReleaseEvent;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.base.AssembledBase;
import dev.palisade.release.base.BaseAssembler;
import dev.palisade.release.base.BaseConfig;
import dev.palisade.release.base.DebFetcher;
import dev.palisade.release.git.GitFacts;
import dev.palisade.release.git.GitInspector;
import dev.palisade.release.git.TagTrust;
import dev.palisade.release.image.BuildRequest;
import dev.palisade.release.image.BuiltImage;
import dev.palisade.release.image.ImageConfigFile;
import dev.palisade.release.image.JibImageBuilder;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Git facts, then the base, then the image: the part of the pipeline that turns a commit into an
 * OCI layout. Everything after it (scan, SBOM, provenance, push) reads only that layout.
 */
public final class BuildStage {

  /**
   * @param repo the working tree (its release/ directory holds base.yaml and image.yaml)
   * @param baseConfig release/base.yaml or another
   * @param debDir optional directory of pre-downloaded .deb files
   */
  public record Inputs(Path repo, Path baseConfig, Path imageConfig, boolean snapshot, Path cacheDir, Path debDir,
      String toolVersion, TagTrust tagTrust) {
    /** Without a signed-tag requirement. */
    public Inputs(Path repo, Path baseConfig, Path imageConfig, boolean snapshot, Path cacheDir, Path debDir,
        String toolVersion) {
      this(repo, baseConfig, imageConfig, snapshot, cacheDir, debDir, toolVersion, null);
    }
  }

  private final Consumer<ReleaseEvent> events;

  public BuildStage(Consumer<ReleaseEvent> events) {
    this.events = events;
  }

  public GitFacts git(Inputs in) throws ReleaseException {
    GitFacts git = GitInspector.inspect(in.repo(), in.snapshot(), in.tagTrust());
    if (in.tagTrust() != null) {
      events.accept(new ReleaseEvent("git", "tag " + git.tag() + " signed by a key in " + in.tagTrust().describe()));
    }
    events.accept(new ReleaseEvent("git", "version " + git.version() + " at " + git.shortCommit() + " ("
        + git.commitTime() + ")"));
    return git;
  }

  public AssembledBase base(Inputs in, BaseConfig base) throws ReleaseException {
    if (!base.assembled()) {
      return null;
    }
    DebFetcher fetcher = new DebFetcher(in.cacheDir().resolve("debs"), in.debDir(), base.mirrors(), events);
    return new BaseAssembler(in.cacheDir(), fetcher, events).assemble(base, true);
  }

  /** Runs git, base and image build; the image lands in {@code layoutDir}. */
  public BuiltImage run(Inputs in, Path layoutDir) throws ReleaseException {
    GitFacts git = git(in);
    BaseConfig base = BaseConfig.load(in.baseConfig());
    ImageConfigFile image = ImageConfigFile.load(in.imageConfig(), in.repo());
    AssembledBase assembled = base(in, base);
    BuildRequest request = new BuildRequest(git, base, assembled, image.toInputs(), image.name(), image.sourceUrl(),
        in.toolVersion(), in.cacheDir());
    return new JibImageBuilder(events).build(request, layoutDir);
  }
}
