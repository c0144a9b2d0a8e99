package dev.palisade.release.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.oci.digest.Digest;
import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --deb-dir: files found under the names apt-get and mirrors give them, always checksum-verified. */
class DebFetcherTest {

  static final List<URI> NO_MIRROR = List.of(URI.create("http://127.0.0.1:9/"));

  @TempDir Path tmp;

  private static DebianPackage pin(String name, String version, byte[] content, String poolName) {
    return new DebianPackage(name, version, "amd64", Digest.sha256(content).hex(), content.length,
        "debian/pool/main/x/" + name + "/" + poolName);
  }

  @Test
  void candidateNamesDecodeThePoolPathAndSpellTheEpochLikeApt() {
    DebianPackage libstdcxx = pin("libstdc++6", "12.2.0-14+deb12u1", new byte[] {1},
        "libstdc%2b%2b6_12.2.0-14%2bdeb12u1_amd64.deb");
    assertEquals("libstdc++6_12.2.0-14+deb12u1_amd64.deb", DebFetcher.candidateNames(libstdcxx).get(0));
    DebianPackage zlib = pin("zlib1g", "1:1.2.13.dfsg-1", new byte[] {1}, "zlib1g_1.2.13.dfsg-1_amd64.deb");
    assertTrue(DebFetcher.candidateNames(zlib).contains("zlib1g_1%3a1.2.13.dfsg-1_amd64.deb"));
    DebianPackage jre = pin("openjdk-17-jre-headless", "17.0.21.1+2-1~deb12u1", new byte[] {1},
        "openjdk-17-jre-headless_17.0.21.1%2b2-1%7edeb12u1_amd64.deb");
    assertEquals("openjdk-17-jre-headless_17.0.21.1+2-1~deb12u1_amd64.deb", DebFetcher.candidateNames(jre).get(0));
  }

  @Test
  void findsApt_getDownloadNamesWithoutAMirror() throws Exception {
    byte[] content = "not really a deb".getBytes(StandardCharsets.UTF_8);
    DebianPackage pkg = pin("libstdc++6", "1:12.2.0-14+deb12u1", content, "libstdc%2b%2b6_12.2.0-14%2bdeb12u1_amd64.deb");
    Path debs = Files.createDirectories(tmp.resolve("debs"));
    Files.write(debs.resolve("libstdc++6_1%3a12.2.0-14+deb12u1_amd64.deb"), content);
    Path found = new DebFetcher(tmp.resolve("cache"), debs, NO_MIRROR, e -> {}).fetch(pkg);
    assertEquals(debs.resolve("libstdc++6_1%3a12.2.0-14+deb12u1_amd64.deb"), found);
  }

  @Test
  void aFileWithTheRightNameAndWrongBytesIsRefused() throws Exception {
    DebianPackage pkg = pin("netbase", "6.4", "right".getBytes(StandardCharsets.UTF_8), "netbase_6.4_all.deb");
    Path debs = Files.createDirectories(tmp.resolve("debs"));
    Files.writeString(debs.resolve("netbase_6.4_all.deb"), "wrong");
    ReleaseException e = assertThrows(ReleaseException.class,
        () -> new DebFetcher(tmp.resolve("cache"), debs, NO_MIRROR, x -> {}).fetch(pkg));
    assertEquals(Failure.BASE_IMAGE, e.failure());
    assertTrue(e.getMessage().contains("does not match the pinned size and SHA-256"), e.getMessage());
  }

  @Test
  void missingEverywhereSaysWhereItLooked() throws Exception {
    DebianPackage pkg = pin("netbase", "6.4", "x".getBytes(StandardCharsets.UTF_8), "netbase_6.4_all.deb");
    ReleaseException e = assertThrows(ReleaseException.class,
        () -> new DebFetcher(tmp.resolve("cache"), Files.createDirectories(tmp.resolve("empty")), NO_MIRROR, x -> {})
            .fetch(pkg));
    assertEquals(Failure.BASE_IMAGE, e.failure());
    assertTrue(e.getMessage().contains("http://127.0.0.1:9/debian/pool/main/x/netbase/netbase_6.4_all.deb"),
        e.getMessage());
  }
}
