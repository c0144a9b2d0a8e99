package dev.palisade.release.base;

import dev.palisade.oci.digest.Digest;
import dev.palisade.release.Failure;
import dev.palisade.release.OrderedJson;
import dev.palisade.release.ReleaseEvent;
import dev.palisade.release.ReleaseException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/**
 * Assembles the base image from pinned Debian packages, reproducibly: packages unpacked in name
 * order into one sorted tree, every entry owned by 0:0 (except the application user's home) with the
 * base's fixed {@code created} time, gzip without a timestamp, JSON with a fixed key order. The
 * result is checked against the digest pinned in {@code release/base.yaml}; a mismatch stops the
 * release (a different base than the one reviewed would otherwise ship silently).
 *
 * <p>Assembled bases are cached by their pinned digest; a cached one is re-verified before use.
 */
public final class BaseAssembler {

  static final String LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
  static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";

  private final Path cacheDir;
  private final DebFetcher fetcher;
  private final Consumer<ReleaseEvent> events;

  public BaseAssembler(Path cacheDir, DebFetcher fetcher, Consumer<ReleaseEvent> events) {
    this.cacheDir = cacheDir;
    this.fetcher = fetcher;
    this.events = events;
  }

  /**
   * @param checkPin false only for {@code release-tool base --print-digest}, which exists to compute
   *     the digest a maintainer then pins
   */
  public AssembledBase assemble(BaseConfig config, boolean checkPin) throws ReleaseException {
    if (!config.assembled()) {
      throw new IllegalArgumentException("not a debian-packages base");
    }
    Path target = cacheDir.resolve("base").resolve(config.digest().hex());
    if (checkPin) {
      AssembledBase cached = CachedBase.read(target);
      if (cached != null && cached.manifestDigest().equals(config.digest())) {
        events.accept(new ReleaseEvent("base", "using cached base " + config.pinnedReference()));
        return cached;
      }
    }
    try {
      Path work = Files.createDirectories(cacheDir.resolve("base"));
      Path staging = Files.createTempDirectory(work, "assembling-");
      try {
        AssembledBase built = build(config, staging);
        if (checkPin && !built.manifestDigest().equals(config.digest())) {
          throw new ReleaseException(Failure.BASE_IMAGE, "the base assembled from the pinned packages is "
              + built.manifestDigest() + " but release/base.yaml pins " + config.digest()
              + "; if the package list changed on purpose, update the pin (release-tool base prints it)");
        }
        Path finalDir = cacheDir.resolve("base").resolve(built.manifestDigest().hex());
        deleteTree(finalDir);
        Files.move(staging, finalDir, StandardCopyOption.ATOMIC_MOVE);
        return CachedBase.read(finalDir);
      } finally {
        deleteTree(staging);
      }
    } catch (IOException e) {
      throw new ReleaseException(Failure.IO, "cannot assemble the base: " + e.getMessage(), e);
    }
  }

  private AssembledBase build(BaseConfig config, Path dir) throws ReleaseException, IOException {
    RootFs fs = new RootFs();
    DebUnpacker unpacker = new DebUnpacker(BaseAssembler::keep);
    List<InstalledPackage> installed = new ArrayList<>();
    for (DebianPackage pkg : config.packages()) {
      Path deb = fetcher.fetch(pkg);
      installed.add(unpacker.unpack(pkg, deb, fs));
    }
    events.accept(new ReleaseEvent("base", "unpacked " + installed.size() + " packages, " + fs.size() + " entries"));
    SystemFiles.write(fs, config.uid(), installed);
    CaCertificates.write(fs, config.created().toEpochMilli());
    // What update-alternatives would do: 'java' on the PATH.
    fs.put("usr/bin/java", FsNode.symlink(config.javaHome() + "/bin/java"));

    OciLayoutWriter layout = new OciLayoutWriter(dir.resolve("layout"));
    Path layerFile = dir.resolve("layer.tar.gz");
    MessageDigest diffSha = Digest.newSha256();
    MessageDigest blobSha = Digest.newSha256();
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(layerFile), 1 << 16);
        DigestOutputStream blob = new DigestOutputStream(file, blobSha);
        GZIPOutputStream gzip = new GZIPOutputStream(blob, 1 << 16);
        DigestOutputStream diff = new DigestOutputStream(gzip, diffSha);
        TarWriter tar = new TarWriter(diff, config.created().getEpochSecond())) {
      tar.writeAll(fs);
    }
    Digest diffId = new Digest("sha256", HexFormat.of().formatHex(diffSha.digest()));
    Digest layerDigest = new Digest("sha256", HexFormat.of().formatHex(blobSha.digest()));
    Blob layer = layout.addFile(LAYER_MEDIA_TYPE, layerFile, layerDigest);
    byte[] configJson = imageConfig(config, diffId, installed.size());
    Blob configBlob = layout.addBytes(CONFIG_MEDIA_TYPE, configJson);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("org.opencontainers.image.created", config.created().toString());
    annotations.put("org.opencontainers.image.title", config.name());
    Blob manifest = layout.finish(configBlob, List.of(layer), annotations, "base");
    DockerArchive.write(dir.resolve("base-docker.tar"), configJson, layout.blobPath(layerDigest), layerDigest);
    events.accept(new ReleaseEvent("base", "assembled base " + config.name() + "@" + manifest.digest()));
    return new AssembledBase(dir.resolve("layout"), dir.resolve("base-docker.tar"), manifest.digest(), configBlob,
        List.of(layer), List.of(diffId));
  }

  static byte[] imageConfig(BaseConfig config, Digest diffId, int packageCount) {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("User", config.uid() + ":" + config.uid());
    inner.put("Env", List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "JAVA_HOME=" + config.javaHome(), "LANG=C.UTF-8"));
    inner.put("WorkingDir", "/home/" + SystemFiles.USER_NAME);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("created", config.created().toString());
    root.put("architecture", config.architecture());
    root.put("os", "linux");
    root.put("config", inner);
    // Key order is part of the digest: it is the one the pin in release/base.yaml was made with.
    root.put("rootfs", OrderedJson.map("type", "layers", "diff_ids", List.of(diffId.toString())));
    root.put("history", List.of(OrderedJson.map(
        "created_by", "palisade release-tool: " + packageCount + " pinned Debian packages (release/base.yaml)",
        "created", config.created().toString())));
    return OrderedJson.bytes(root);
  }

  /** Installed paths: documentation other than licences is left out (it is most of the size). */
  static boolean keep(String path) {
    if (path.startsWith("usr/share/doc/")) {
      return path.endsWith("/copyright") || path.split("/").length == 4 && !path.contains(".");
    }
    return !(path.startsWith("usr/share/man/") || path.startsWith("usr/share/info/")
        || path.startsWith("usr/share/locale/") || path.startsWith("usr/share/lintian/")
        || path.startsWith("usr/share/bug/"));
  }

  static void deleteTree(Path dir) throws IOException {
    dev.palisade.release.FileTrees.deleteTree(dir);
  }

}
