package dev.palisade.release;

import dev.palisade.release.base.AssembledBase;
import dev.palisade.release.base.BaseAssembler;
import dev.palisade.release.base.BaseConfig;
import dev.palisade.release.base.DebFetcher;
import dev.palisade.release.base.DebianPackage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real base of release/base.yaml, shared by every test in one run: the pinned .deb files
 * (~48 MB) are downloaded once into {@code target/test-cache/debs} (or taken from {@code
 * $PALISADE_DEB_DIR}, or from a previous run's {@code ~/.cache/palisade/debs}; every file is
 * checked against its pinned SHA-256 wherever it comes from), and the assembled base is cached
 * under {@code target/test-cache/base/<pinned hex>}.
 */
public final class TestBase {

  /** release-tool/ when surefire runs; the repository root is its parent. */
  public static final Path REPO_ROOT = Path.of("").toAbsolutePath().getParent();
  public static final Path CACHE = Path.of("target/test-cache").toAbsolutePath();
  public static final Path BASE_YAML = REPO_ROOT.resolve("release/base.yaml");

  private static AssembledBase assembled;

  private TestBase() {}

  public static BaseConfig config() throws ReleaseException {
    return BaseConfig.load(BASE_YAML);
  }

  public static synchronized DebFetcher fetcher() {
    return new DebFetcher(CACHE.resolve("debs"), seedDir(), configUnchecked().mirrors(), e -> {});
  }

  /** Every pinned package as a verified local file. */
  public static synchronized Path deb(DebianPackage pkg) throws ReleaseException {
    return fetcher().fetch(pkg);
  }

  /** The base assembled once per run (and kept in target/ between runs), with the pin checked. */
  public static synchronized AssembledBase assembled() throws ReleaseException {
    if (assembled == null) {
      assembled = new BaseAssembler(CACHE, fetcher(), e -> {}).assemble(config(), true);
    }
    return assembled;
  }

  private static Path seedDir() {
    String env = System.getenv("PALISADE_DEB_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path previous = Path.of(System.getProperty("user.home"), ".cache/palisade/debs");
    return Files.isDirectory(previous) ? previous : null;
  }

  private static BaseConfig configUnchecked() {
    try {
      return config();
    } catch (ReleaseException e) {
      throw new IllegalStateException(e);
    }
  }
}
