package dev.palisade.release.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.release.TestBase;
import dev.palisade.release.verify.LayoutComparison;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base assembled from the pinned packages hashes to the pinned digest whatever the machine:
 * once in this JVM with a fresh cache, and at the same time in another JVM (so another random
 * {@code Map.of} salt, the cause of the digest differing between runs before 0.1.0) with another
 * cache dir, another working directory, another time zone and locale, umask 077, other
 * user.name/user.home, LC_ALL=C and a default charset that is not UTF-8 (which made the
 * certificate named {@code NetLock_Arany_=Class_Gold=_Főtanúsítvány.crt} decode differently), and
 * the .deb files under
 * {@code apt-get download}'s names (with '+', '~' and an epoch as '%3a') with odd mtimes, taken
 * from --deb-dir with no reachable mirror.
 */
class BaseReproducibilityTest {

  @TempDir Path tmp;

  @Test
  void assemblesThePinnedDigestInTwoJvmsUnderDifferentConditions() throws Exception {
    BaseConfig config = TestBase.config();
    // The other JVM's inputs: .deb files under apt-get's names, mtimes all over the place.
    Path debDir = Files.createDirectories(tmp.resolve("apt debs"));
    long mtime = 0;
    for (DebianPackage pkg : config.packages()) {
      Path named = debDir.resolve(aptName(pkg));
      Files.copy(TestBase.deb(pkg), named);
      Files.setLastModifiedTime(named, FileTime.from(Instant.parse("2038-01-01T00:00:00Z").minusSeconds(mtime += 86_400_017)));
    }
    Path offlineYaml = tmp.resolve("base-offline.yaml");
    Files.writeString(offlineYaml, Files.readString(TestBase.BASE_YAML)
        .replace("https://deb.debian.org/", "http://127.0.0.1:9/"));
    Path otherCache = tmp.resolve("other cache");
    Path otherCwd = Files.createDirectories(tmp.resolve("elsewhere/deeper"));
    Path otherHome = Files.createDirectories(tmp.resolve("home of someone"));

    List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Duser.name=someone-else", "-Duser.home=" + otherHome, "-Duser.language=tr", "-Duser.country=TR",
        "-Dfile.encoding=ISO-8859-1", "-cp", System.getProperty("java.class.path"),
        "dev.palisade.release.cli.ReleaseCli", "base", "--repo", TestBase.REPO_ROOT.toString(),
        "--base-config", offlineYaml.toString(), "--cache-dir", otherCache.toString(), "--deb-dir", debDir.toString()));
    ProcessBuilder other = new ProcessBuilder("sh", "-c", "umask 077; exec \"$@\"", "sh");
    other.command().addAll(java);
    other.directory(otherCwd.toFile());
    other.environment().put("TZ", "Pacific/Kiritimati");
    other.environment().put("LC_ALL", "C"); // JDK 17: file.encoding and sun.jnu.encoding ASCII
    other.environment().remove("XDG_CACHE_HOME");
    other.redirectErrorStream(true);
    Path log = tmp.resolve("other.log");
    other.redirectOutput(log.toFile());
    Process process = other.start();

    // Meanwhile, here: a fresh cache dir, the pin not consulted.
    Path hereCache = tmp.resolve("here-cache");
    AssembledBase here = new BaseAssembler(hereCache, TestBase.fetcher(), e -> {}).assemble(config, false);
    assertEquals(config.digest(), here.manifestDigest(), "assembled in this JVM");

    assertTrue(process.waitFor(180, TimeUnit.SECONDS), "the other JVM did not finish");
    String output = Files.readString(log, StandardCharsets.ISO_8859_1);
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.contains(config.digest().toString()), output);
    Path otherLayout = otherCache.resolve("base").resolve(config.digest().hex()).resolve("layout");
    LayoutComparison.Result comparison = LayoutComparison.compare(here.layout(), otherLayout);
    assertTrue(comparison.identical(), comparison.describe());
    // umask 077 did not leak into the layer: modes come from the packages.
    assertTrue(Files.exists(otherLayout.resolve("index.json")));
  }

  /** The name {@code apt-get download} saves a package under. */
  static String aptName(DebianPackage pkg) {
    return pkg.name() + "_" + pkg.version().replace(":", "%3a") + "_" + pkg.architecture() + ".deb";
  }

}
