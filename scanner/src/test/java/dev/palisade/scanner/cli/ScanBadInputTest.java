package dev.palisade.scanner.cli;

import static dev.palisade.scanner.fixtures.OciLayoutBuilder.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.oci.digest.Digest;
import dev.palisade.scanner.fixtures.CliRun;
import dev.palisade.scanner.fixtures.OciLayoutBuilder;
import dev.palisade.scanner.fixtures.OciLayoutBuilder.Compression;
import dev.palisade.scanner.fixtures.Samples;
import dev.palisade.scanner.fixtures.TarBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input the scanner must survive: each ends with a clear outcome and exit code,
 * quickly, and never as "clean".
 */
class ScanBadInputTest {

  private static final Duration QUICK = Duration.ofSeconds(60);

  @TempDir Path dir;

  private CliRun scan(String... args) {
    String[] full = new String[args.length + 2];
    full[0] = "scan";
    System.arraycopy(args, 0, full, 1, args.length);
    full[full.length - 1] = "--quiet";
    return assertTimeoutPreemptively(QUICK, () -> CliRun.of(full));
  }

  private String layout(OciLayoutBuilder builder) {
    builder.write(dir.resolve("img"), "t");
    return "oci:" + dir.resolve("img") + ":t";
  }

  @Test
  void cleanImageExitsZero() {
    CliRun run = scan(layout(new OciLayoutBuilder().layer(new TarBuilder().file("bin/hello", Samples.HARMLESS_SCRIPT).build(), Compression.GZIP)));
    assertEquals(ExitCodes.CLEAN, run.exitCode(), run.toString());
    assertTrue(run.out().contains("Status:  CLEAN"), run.toString());
  }

  // The rules compile on their own thread while the image is opened (RulesLoading): a bad rule set
  // must still be the error reported, whatever else fails, and never a scan without rules.
  @Test
  void badRulesFileIsReportedEvenWhenTheImageFailsToo() throws Exception {
    Path rules = dir.resolve("bad-rules.yaml");
    Files.writeString(rules, "rules: [this is: not a rule\n");
    CliRun withRegistryDown = scan("127.0.0.1:1/app:1", "--insecure-registry", "127.0.0.1:1", "--rules", rules.toString());
    assertEquals(ExitCodes.USAGE_OR_INPUT, withRegistryDown.exitCode(), withRegistryDown.toString());
    assertTrue(withRegistryDown.err().contains("bad-rules.yaml"), withRegistryDown.toString());

    CliRun withGoodImage = scan(layout(new OciLayoutBuilder().layer(
        new TarBuilder().file("bin/hello", Samples.HARMLESS_SCRIPT).build(), Compression.GZIP)), "--rules", rules.toString());
    assertEquals(ExitCodes.USAGE_OR_INPUT, withGoodImage.exitCode(), withGoodImage.toString());
    assertTrue(withGoodImage.err().contains("bad-rules.yaml"), withGoodImage.toString());
    assertFalse(withGoodImage.out().contains("Status:"), "no report without the rules: " + withGoodImage);
  }

  @Test
  void imageErrorIsReportedWhenTheRulesAreFine() {
    CliRun run = scan("127.0.0.1:1/app:1", "--insecure-registry", "127.0.0.1:1");
    assertEquals(ExitCodes.REGISTRY, run.exitCode(), run.toString());
  }

  @Test
  void truncatedGzipIsIncomplete() {
    byte[] noise = new byte[200_000];
    new java.util.Random(42).nextBytes(noise);
    byte[] gz = OciLayoutBuilder.gzip(new TarBuilder().file("etc/miner.json", Samples.minerConfig()).file("a", noise).build());
    byte[] truncated = Arrays.copyOf(gz, gz.length / 2);
    CliRun run = scan(layout(new OciLayoutBuilder().rawLayer(truncated, "application/vnd.oci.image.layer.v1.tar+gzip", truncated.length)));
    assertEquals(ExitCodes.FINDINGS, run.exitCode(), "the part before the cut still holds a finding: " + run);
    assertTrue(run.out().contains("corrupt-layer"), run.toString());
  }

  @Test
  void truncatedGzipWithoutFindingsIsIncompleteNotClean() {
    byte[] gz = OciLayoutBuilder.gzip(new TarBuilder().file("a", new byte[200_000]).build());
    byte[] truncated = Arrays.copyOf(gz, gz.length - 20);
    CliRun run = scan(layout(new OciLayoutBuilder().rawLayer(truncated, "application/vnd.oci.image.layer.v1.tar+gzip", truncated.length)));
    assertEquals(ExitCodes.INCOMPLETE, run.exitCode(), run.toString());
    assertTrue(run.out().contains("corrupt-layer"), run.toString());
    CliRun allowed = scan(dir.resolve("img").toString().isEmpty() ? "" : "oci:" + dir.resolve("img") + ":t", "--allow-incomplete");
    assertEquals(ExitCodes.CLEAN, allowed.exitCode(), allowed.toString());
  }

  @Test
  void corruptZstdIsIncomplete() {
    byte[] zst = com.github.luben.zstd.Zstd.compress(new TarBuilder().file("a", new byte[50_000]).build());
    for (int i = 8; i < zst.length; i += 3) {
      zst[i] ^= 0x5a;
    }
    CliRun run = scan(layout(new OciLayoutBuilder().rawLayer(zst, "application/vnd.oci.image.layer.v1.tar+zstd", zst.length)));
    assertEquals(ExitCodes.INCOMPLETE, run.exitCode(), run.toString());
    assertTrue(run.out().contains("corrupt-layer"), run.toString());
  }

  @Test
  void zstdLayerIsReadWhateverTheMediaTypeSays() {
    byte[] tar = new TarBuilder().file("opt/config.json", Samples.minerConfig()).build();
    byte[] zst = com.github.luben.zstd.Zstd.compress(tar);
    // Docker's non-standard zstd media type, and a plain-tar type that lies: both are read as zstd.
    CliRun docker = scan(layout(new OciLayoutBuilder().rawLayer(zst, "application/vnd.docker.image.rootfs.diff.tar.zstd", zst.length)));
    assertEquals(ExitCodes.FINDINGS, docker.exitCode(), docker.toString());
    CliRun lying = scan(layout(new OciLayoutBuilder().rawLayer(zst, "application/vnd.oci.image.layer.v1.tar", zst.length)));
    assertEquals(ExitCodes.FINDINGS, lying.exitCode(), lying.toString());
  }

  @Test
  void blobNotMatchingItsDigestIsReported() throws Exception {
    byte[] tar = new TarBuilder().file("bin/hello", Samples.HARMLESS_SCRIPT).build();
    layout(new OciLayoutBuilder().layer(tar, Compression.NONE));
    Digest digest = Digest.sha256(tar);
    Path blob = dir.resolve("img/blobs/sha256/" + digest.hex());
    byte[] tampered = Files.readAllBytes(blob);
    tampered[600] ^= 1;
    Files.write(blob, tampered);
    CliRun run = scan("oci:" + dir.resolve("img") + ":t");
    assertEquals(ExitCodes.FINDINGS, run.exitCode(), run.toString());
    assertTrue(run.out().contains("layer.digest-mismatch"), run.toString());
    assertTrue(run.out().contains(digest.toString()), "names the digest: " + run);
  }

  @Test
  void hundredGigabyteDeclaredSizeFailsWithoutReadingThatMuch() {
    byte[] tar = new TarBuilder().file("bin/hello", Samples.HARMLESS_SCRIPT).build();
    CliRun run = scan(layout(new OciLayoutBuilder().rawLayer(tar, "application/vnd.oci.image.layer.v1.tar", 100L << 30)));
    assertEquals(ExitCodes.FINDINGS, run.exitCode(), run.toString());
    assertTrue(run.out().contains("declared size is 107374182400"), run.toString());
  }

  @Test
  void gzipBombStopsAtTheRatioLimit() throws Exception {
    // 300 MiB of zeros in one file compress to ~300 KiB: a ratio of ~1000.
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
      org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar =
          new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(gz);
      org.apache.commons.compress.archivers.tar.TarArchiveEntry entry =
          new org.apache.commons.compress.archivers.tar.TarArchiveEntry("zeros");
      long size = 300L << 20;
      entry.setSize(size);
      tar.putArchiveEntry(entry);
      byte[] zeros = new byte[1 << 20];
      for (long written = 0; written < size; written += zeros.length) {
        tar.write(zeros);
      }
      tar.closeArchiveEntry();
      tar.finish();
    }
    byte[] bomb = compressed.toByteArray();
    CliRun run = scan(layout(new OciLayoutBuilder().rawLayer(bomb, "application/vnd.oci.image.layer.v1.tar+gzip", bomb.length)));
    assertEquals(ExitCodes.INCOMPLETE, run.exitCode(), run.toString());
    assertTrue(run.out().contains("decompression-bomb"), run.toString());
  }

  @Test
  void zipBombInAJarStopsAtTheNestedBudget() throws Exception {
    // Each jar entry is a tar holding 32 MiB of zeros: ~32 KiB compressed, all of it must be walked.
    byte[] innerTar = new TarBuilder().file("zeros.bin", new byte[32 << 20]).build();
    ByteArrayOutputStream jar = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(jar)) {
      for (int i = 0; i < 8; i++) {
        zip.putNextEntry(new ZipEntry("bomb/part" + i + ".tar"));
        zip.write(innerTar);
        zip.closeEntry();
      }
    }
    byte[] tar = new TarBuilder().file("app/lib/bomb.jar", jar.toByteArray()).build();
    // 256 MiB inside a small jar; the per-layer nested budget is lowered to keep the test quick.
    CliRun run = scan(layout(new OciLayoutBuilder().layer(tar, Compression.GZIP)), "--max-nested-total", "64M");
    assertEquals(ExitCodes.INCOMPLETE, run.exitCode(), run.toString());
    assertTrue(run.out().contains("nested-bytes-exceeded"), run.toString());
  }

  @Test
  void symlinkLoopIsHarmless() {
    byte[] tar = new TarBuilder().symlink("a", "b").symlink("b", "a").symlink("c", "/etc/../../..").file("d", "x").build();
    CliRun run = scan(layout(new OciLayoutBuilder().layer(tar, Compression.GZIP)));
    assertEquals(ExitCodes.CLEAN, run.exitCode(), run.toString());
  }

  @Test
  void tenThousandLayersAreRefusedClearly() throws Exception {
    StringBuilder layers = new StringBuilder();
    String digest = "sha256:" + "c".repeat(64);
    for (int i = 0; i < 10_000; i++) {
      layers.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"")
          .append(digest).append("\",\"size\":1}");
    }
    byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest + "\",\"size\":1},"
        + "\"layers\":[" + layers + "]}");
    Path img = dir.resolve("img");
    Files.createDirectories(img);
    Files.writeString(img.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Digest manifestDigest = OciLayoutBuilder.blob(img, manifest);
    OciLayoutBuilder.writeIndex(img, "application/vnd.oci.image.manifest.v1+json", manifestDigest, manifest.length, "t");
    CliRun run = scan("oci:" + img + ":t");
    assertEquals(ExitCodes.USAGE_OR_INPUT, run.exitCode(), run.toString());
    assertTrue(run.err().contains("10000 layers exceeds the limit"), run.toString());
  }

  @Test
  void garbageManifestAndUnknownMediaTypeAreInputErrors() throws Exception {
    Path img = dir.resolve("img");
    Files.createDirectories(img);
    Files.writeString(img.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    byte[] garbage = utf8("{this is not json");
    Digest g = OciLayoutBuilder.blob(img, garbage);
    OciLayoutBuilder.writeIndex(img, "application/vnd.oci.image.manifest.v1+json", g, garbage.length, "t");
    CliRun run = scan("oci:" + img + ":t");
    assertEquals(ExitCodes.USAGE_OR_INPUT, run.exitCode(), run.toString());
    assertTrue(run.err().contains("not valid JSON"), run.toString());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run);

    byte[] unknown = utf8("{\"schemaVersion\":2,\"mediaType\":\"application/x-not-an-image\"}");
    Digest u = OciLayoutBuilder.blob(img, unknown);
    OciLayoutBuilder.writeIndex(img, "application/x-not-an-image", u, unknown.length, "t");
    CliRun unknownRun = scan("oci:" + img + ":t");
    assertEquals(ExitCodes.USAGE_OR_INPUT, unknownRun.exitCode(), unknownRun.toString());
    assertTrue(unknownRun.err().contains("unknown manifest media type 'application/x-not-an-image'"), unknownRun.toString());
  }

  @Test
  void layoutIndexPointingNowhereIsAnInputError() throws Exception {
    Path img = dir.resolve("img");
    Files.createDirectories(img);
    Files.writeString(img.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Digest missing = Digest.sha256(utf8("nothing"));
    OciLayoutBuilder.writeIndex(img, "application/vnd.oci.image.manifest.v1+json", missing, 7, "t");
    CliRun run = scan("oci:" + img + ":t");
    assertEquals(ExitCodes.USAGE_OR_INPUT, run.exitCode(), run.toString());
    assertTrue(run.err().contains(missing.toString()) && run.err().contains("missing"), run.toString());
  }

  @Test
  void unknownTransportPathAndBadOptionsAreUsageErrors() {
    assertEquals(ExitCodes.USAGE_OR_INPUT, scan("oci:" + dir.resolve("absent")).exitCode());
    assertEquals(ExitCodes.USAGE_OR_INPUT, scan("Not A Reference").exitCode());
    CliRun badSeverity = scan("oci:" + dir, "--fail-on", "sometimes");
    assertEquals(ExitCodes.USAGE_OR_INPUT, badSeverity.exitCode());
    assertTrue(badSeverity.err().contains("--fail-on"), badSeverity.toString());
    CliRun password = CliRun.of("scan", "x", "--password", "hunter2");
    assertEquals(ExitCodes.USAGE_OR_INPUT, password.exitCode());
    assertFalse(password.err().contains("hunter2") && password.err().contains("--password=hunter2"), password.toString());
  }
}
