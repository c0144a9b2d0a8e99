package dev.palisade.scanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import dev.palisade.scanner.cli.ExitCodes;
import dev.palisade.scanner.fixtures.CliRun;
import dev.palisade.testing.History;
import dev.palisade.testing.ImageConfig;
import dev.palisade.testing.OciImage;
import dev.palisade.testing.Umoci;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image made of real files of this machine (a shell, perl, a Go binary, the JDK's shared
 * libraries, every script in /usr/bin and /usr/sbin, CA certificates, jars with native libraries
 * inside): nothing here is a
 * miner, so the scan must be clean. A finding here is a false positive of the rules.
 */
class CleanImageScanIT {

  @TempDir static Path work;
  static Path rootfs;
  static OciImage image;
  static long stagedBytes;

  @BeforeAll
  static void buildImage() throws Exception {
    rootfs = work.resolve("rootfs");
    Path javaHome = Path.of(System.getProperty("java.home"));
    copy(Path.of("/usr/bin/bash"), rootfs.resolve("usr/bin/bash"));
    copy(Path.of("/usr/bin/perl"), rootfs.resolve("usr/bin/perl"));
    copy(Path.of("/usr/bin/skopeo"), rootfs.resolve("usr/bin/skopeo")); // a Go binary, installed for these tests
    copy(javaHome.resolve("lib/server/libjvm.so"), rootfs.resolve("opt/java/lib/server/libjvm.so"));
    copy(Path.of("/etc/ssl/certs"), rootfs.resolve("etc/ssl/certs"));
    copy(Path.of("/etc/passwd"), rootfs.resolve("etc/passwd"));
    copy(Path.of("/etc/os-release").toRealPath(), rootfs.resolve("etc/os-release"));
    // Every shell/perl/python script in /usr/bin and /usr/sbin: the shell heuristics must stay quiet on them.
    for (Path bin : List.of(Path.of("/usr/bin"), Path.of("/usr/sbin"))) {
      for (Path script : files(bin, CleanImageScanIT::isScript)) {
        copy(script, rootfs.resolve("usr/local/" + bin.getFileName() + "/" + script.getFileName()));
      }
    }
    // The JDK's native libraries: real ELF shared objects.
    for (Path library : files(javaHome.resolve("lib"), p -> p.getFileName().toString().endsWith(".so"))) {
      copy(library, rootfs.resolve("opt/java/lib/" + library.getFileName()));
    }
    // Jars of this build: zstd-jni carries native libraries for many platforms.
    for (Class<?> type : List.of(Zstd.class, ObjectMapper.class, TarArchiveInputStream.class)) {
      Path jar = jarOf(type);
      copy(jar, rootfs.resolve("opt/app/lib/" + jar.getFileName()));
    }
    stagedBytes = size(rootfs);

    Umoci umoci = Umoci.create();
    image = umoci.newImage(work.resolve("layout"), "clean");
    umoci.insert(image, rootfs.resolve("usr"), "/usr", History.createdBy("COPY usr /usr"));
    umoci.insert(image, rootfs.resolve("etc"), "/etc", History.createdBy("COPY etc /etc"));
    umoci.insert(image, rootfs.resolve("opt"), "/opt", History.createdBy("COPY opt /opt"));
    umoci.configure(image, ImageConfig.unchanged().withEntrypoint("/usr/bin/bash").withCmd("-c", "echo hello")
        .withEnv("PATH", "/usr/bin:/bin").withLabel("org.opencontainers.image.title", "clean")
        .withHistory(History.NONE));
  }

  /** Deletes the staged tree first: JUnit warns about every symlink it finds pointing out of a temp dir. */
  @AfterAll
  static void deleteStagedTree() throws IOException {
    if (rootfs == null || !Files.exists(rootfs)) {
      return;
    }
    try (var paths = Files.walk(rootfs)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @Test
  void realFilesScanClean() {
    long begin = System.nanoTime();
    CliRun run = CliRun.of("scan", "oci:" + image.layout() + ":clean", "--format", "json", "--quiet");
    Duration took = Duration.ofNanos(System.nanoTime() - begin);
    JsonNode report = Findings.parse(run.out());
    JsonNode platform = Findings.onlyPlatform(report);
    assertEquals(List.of(), Findings.describe(platform), "false positives in real files: " + run.out());
    assertEquals(ExitCodes.CLEAN, run.exitCode(), run.toString());
    assertEquals("clean", report.path("status").asText(), run.out());
    assertEquals(3, platform.path("layers").size());
    long uncompressed = 0;
    for (JsonNode layer : platform.path("layers")) {
      uncompressed += layer.path("uncompressedBytes").asLong();
    }
    assertTrue(uncompressed >= stagedBytes, "every byte was read: " + uncompressed + " < " + stagedBytes);
    assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "took " + took);
  }

  @Test
  void sameFilesAsADirectoryScanClean() {
    CliRun run = CliRun.of("scan", "dir:" + rootfs, "--format", "json", "--quiet");
    assertEquals(ExitCodes.CLEAN, run.exitCode(), run.toString());
    assertEquals("clean", Findings.parse(run.out()).path("status").asText(), run.out());
  }

  /** Regular files (not symlinks) directly in {@code dir} that pass {@code filter}, sorted. */
  private static List<Path> files(Path dir, Predicate<Path> filter) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).filter(filter).sorted().toList();
    }
  }

  private static boolean isScript(Path file) {
    try (var in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(2);
      return head.length == 2 && head[0] == '#' && head[1] == '!' && Files.size(file) < 1 << 20;
    } catch (IOException e) {
      return false; // unreadable: not part of the sample
    }
  }

  private static Path jarOf(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** Copies a file or a tree, keeping symlinks as symlinks. */
  private static void copy(Path source, Path target) throws IOException {
    if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(target.getParent());
      Files.copy(source, target, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
      return;
    }
    Files.walkFileTree(source, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        if (dir.getFileName().toString().equals("__pycache__")) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        Files.createDirectories(target.resolve(source.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, target.resolve(source.relativize(file).toString()), LinkOption.NOFOLLOW_LINKS);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static long size(Path tree) throws IOException {
    try (var files = Files.walk(tree)) {
      return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    }
  }
}
