package dev.palisade.scanner.corpus;

import dev.palisade.scanner.corpus.LayoutWriter.Compression;
import dev.palisade.scanner.corpus.LayoutWriter.Image;
import dev.palisade.testing.Command;
import dev.palisade.testing.ProcessRunner;
import dev.palisade.testing.RequiredBinaries;
import dev.palisade.testing.Skopeo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The clean half of the corpus, from real software of this machine and of Debian and npm: a
 * debootstrap Debian root filesystem, the JDK, Python with Debian packages (stdlib included),
 * Node with packages from the npm registry, and the project's clean sample image.
 *
 * <p>The inputs (rootfs, .deb contents, node_modules) take a minute or two to fetch, so they are
 * kept in a cache directory ({@code -Dpalisade.corpus.cache}, default
 * {@code $TMPDIR/palisade-corpus-cache}) and reused; the layer tars are rebuilt from them each run
 * with GNU tar, as an image build would.
 */
final class CleanCorpus {

  static final List<String> PYTHON_DEBS = List.of("python3.11-minimal", "libpython3.11-minimal", "libpython3.11-stdlib",
      "python3-requests", "python3-urllib3", "python3-certifi", "python3-idna", "python3-chardet", "python3-yaml",
      "python3-six", "python3-setuptools", "python3-pkg-resources", "python3-jinja2", "python3-markupsafe");
  static final List<String> NPM_PACKAGES = List.of("express@4", "lodash", "axios", "yargs", "chalk@4", "core-js", "typescript");
  static final Path JDK = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

  private CleanCorpus() {}

  static Path cacheDir() throws IOException {
    String configured = System.getProperty("palisade.corpus.cache");
    Path dir = configured != null ? Path.of(configured) : Path.of(System.getProperty("java.io.tmpdir"), "palisade-corpus-cache");
    return Files.createDirectories(dir);
  }

  /** A debootstrap minbase bookworm root filesystem (needs root and the Debian mirror). */
  static Path debianRootfs() throws IOException {
    Path dir = cacheDir().resolve("debian-rootfs");
    if (!Files.exists(dir.resolve(".palisade-complete"))) {
      Path debootstrap = RequiredBinaries.require("debootstrap", "debootstrap");
      ProcessRunner.run(Command.of(Path.of("/bin/sh"), "-c", "rm -rf '" + dir + "' && '" + debootstrap
          + "' --variant=minbase bookworm '" + dir + "' http://deb.debian.org/debian").withTimeout(Duration.ofMinutes(10)));
      Files.writeString(dir.resolve(".palisade-complete"), "ok\n");
    }
    return dir;
  }

  /** The contents of Debian's Python packages, unpacked with dpkg -x (apt-get download, no install). */
  static Path pythonPackages() throws IOException {
    Path dir = cacheDir().resolve("python-debs");
    if (!Files.exists(dir.resolve(".palisade-complete"))) {
      RequiredBinaries.require("apt-get", "apt");
      RequiredBinaries.require("dpkg", "dpkg");
      Path debs = Files.createDirectories(cacheDir().resolve("debs"));
      ProcessRunner.run(Command.of(Path.of("/bin/sh"), "-c", "cd '" + debs + "' && apt-get download "
          + String.join(" ", PYTHON_DEBS) + " && rm -rf '" + dir + "' && mkdir -p '" + dir + "/root' && for d in *.deb; do dpkg -x \"$d\" '"
          + dir + "/root'; done").withTimeout(Duration.ofMinutes(5)));
      Files.writeString(dir.resolve(".palisade-complete"), "ok\n");
    }
    return dir.resolve("root");
  }

  /** An app directory with packages installed from the npm registry (install scripts not run). */
  static Path nodeApp() throws IOException {
    Path dir = cacheDir().resolve("node-app");
    if (!Files.exists(dir.resolve(".palisade-complete"))) {
      Path npm = RequiredBinaries.require("npm", "npm");
      ProcessRunner.run(Command.of(Path.of("/bin/sh"), "-c", "rm -rf '" + dir + "' && mkdir -p '" + dir + "/app' && cd '" + dir
          + "/app' && '" + npm + "' init -y >/dev/null && '" + npm + "' install --no-audit --no-fund --ignore-scripts "
          + String.join(" ", NPM_PACKAGES)).withTimeout(Duration.ofMinutes(5)));
      Files.writeString(dir.resolve(".palisade-complete"), "ok\n");
    }
    return dir.resolve("app");
  }

  /** A layer blob of {@code source}'s tree placed under {@code prefix}, made by GNU tar and gzip/zstd. */
  static Path layer(Path source, String prefix, Compression compression, Path out) throws IOException {
    Path tar = RequiredBinaries.require("tar", "tar");
    String compressor = compression == Compression.ZSTD
        ? RequiredBinaries.require("zstd", "zstd") + " -q -1 -T2"
        : RequiredBinaries.require("gzip", "gzip") + " -1";
    String transform = prefix.isEmpty() ? "" : " --transform='s,^\\./,./" + prefix + "/,'";
    ProcessRunner.run(Command.of(Path.of("/bin/sh"), "-c", "'" + tar + "' --sort=name --numeric-owner --exclude=./.palisade-complete"
        + transform + " -C '" + source + "' -cf - . | " + compressor + " > '" + out + "'").withTimeout(Duration.ofMinutes(5)));
    return out;
  }

  static List<CorpusImage> build(Path dir, Path samplesClean) throws IOException {
    Path layout = dir.resolve("clean-oci");
    Path blobs = Files.createDirectories(dir.resolve("clean-blobs"));
    Path debian = layer(debianRootfs(), "", Compression.GZIP, blobs.resolve("debian.tar.gz"));
    Path jdk = layer(JDK, "opt/java", Compression.GZIP, blobs.resolve("jdk.tar.gz"));
    Path jdkZstd = layer(JDK, "opt/java", Compression.ZSTD, blobs.resolve("jdk.tar.zst"));
    Path python = layer(pythonPackages(), "", Compression.GZIP, blobs.resolve("python.tar.gz"));
    Path node = layer(nodeApp(), "srv/app", Compression.GZIP, blobs.resolve("node.tar.gz"));
    Path nodeRuntime = layer(Path.of("/usr/lib/node_modules/npm"), "usr/lib/node_modules/npm", Compression.ZSTD,
        blobs.resolve("npm.tar.zst"));

    List<CorpusImage> out = new ArrayList<>();
    write(out, layout, "clean-debian", new Image().layerFile(debian, Compression.GZIP)
        .entrypoint("/bin/bash").history("debootstrap --variant=minbase bookworm"));
    write(out, layout, "clean-debian-jre", new Image().layerFile(debian, Compression.GZIP).layerFile(jdk, Compression.GZIP)
        .env("JAVA_HOME=/opt/java", "PATH=/opt/java/bin:/usr/bin:/bin", "JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75")
        .entrypoint("/opt/java/bin/java", "-version"));
    write(out, layout, "clean-jre-zstd", new Image().layerFile(jdkZstd, Compression.ZSTD).entrypoint("/opt/java/bin/java"));
    write(out, layout, "clean-debian-python", new Image().layerFile(debian, Compression.GZIP).layerFile(python, Compression.GZIP)
        .cmd("python3", "-m", "http.server"));
    write(out, layout, "clean-python", new Image().layerFile(python, Compression.GZIP));
    write(out, layout, "clean-node-app", new Image().layerFile(node, Compression.GZIP).layerFile(nodeRuntime, Compression.ZSTD)
        .env("NODE_ENV=production").cmd("node", "/srv/app/index.js"));
    Image multiA = new Image().layerFile(python, Compression.GZIP).architecture("amd64");
    Image multiB = new Image().layerFile(node, Compression.GZIP).architecture("arm64");
    LayoutWriter.writeIndex(layout, "clean-multi", List.of(multiA, multiB));
    out.add(clean("clean-multi", "oci:" + layout + ":clean-multi"));
    try (Skopeo skopeo = Skopeo.create()) {
      Path archive = dir.resolve("clean-debian-python.docker.tar");
      skopeo.copy(Skopeo.oci(layout, "clean-debian-python"), Skopeo.dockerArchive(archive, "corpus/clean-debian-python:latest"));
      out.add(clean("clean-debian-python-docker-archive", "docker-archive:" + archive));
      Path ociArchive = dir.resolve("clean-node.oci.tar");
      skopeo.copy(Skopeo.oci(layout, "clean-node-app"), Skopeo.ociArchive(ociArchive, "latest"));
      out.add(clean("clean-node-oci-archive", "oci-archive:" + ociArchive + ":latest"));
    }
    out.add(clean("clean-sample", "oci:" + samplesClean + ":latest"));
    return out;
  }

  private static void write(List<CorpusImage> out, Path layout, String tag, Image image) throws IOException {
    LayoutWriter.write(layout, tag, image);
    out.add(clean(tag, "oci:" + layout + ":" + tag));
  }

  private static CorpusImage clean(String name, String spec) {
    return new CorpusImage(name, "clean", "none", Set.of(), spec);
  }
}
