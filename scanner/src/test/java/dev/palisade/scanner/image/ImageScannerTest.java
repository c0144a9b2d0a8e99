package dev.palisade.scanner.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.oci.source.OciLayoutSource;
import dev.palisade.scanner.api.Finding;
import dev.palisade.scanner.api.ScanOptions;
import dev.palisade.scanner.api.ScanReport;
import dev.palisade.scanner.api.ScanStatus;
import dev.palisade.scanner.detect.RuleEngine;
import dev.palisade.scanner.fixtures.OciLayoutBuilder;
import dev.palisade.scanner.fixtures.OciLayoutBuilder.Compression;
import dev.palisade.scanner.fixtures.Samples;
import dev.palisade.scanner.fixtures.TarBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanner library on layouts whose every byte the test controls. */
class ImageScannerTest {

  @TempDir Path dir;

  private ScanReport scan(OciLayoutBuilder builder) throws Exception {
    builder.write(dir.resolve("img"), "t");
    try (OciLayoutSource source = OciLayoutSource.directory(dir.resolve("img"), "t")) {
      return new ImageScanner(RuleEngine.loadDefault(), ScanOptions.defaults(), e -> { }).scan(source);
    }
  }

  private static List<Finding> at(ScanReport report, String path) {
    return report.findings().stream().filter(f -> f.path().equals(path)).toList();
  }

  @Test
  void minerHiddenInAJarInsideAJarIsFound() throws Exception {
    byte[] inner = Samples.zip("conf/pool.json", Samples.minerConfig());
    byte[] outer = Samples.zip("BOOT-INF/lib/inner.jar", inner);
    ScanReport report = scan(new OciLayoutBuilder().layer(new TarBuilder().file("app/app.jar", outer).build(), Compression.GZIP));
    assertEquals(ScanStatus.FINDINGS, report.status());
    assertTrue(!at(report, "app/app.jar!/BOOT-INF/lib/inner.jar!/conf/pool.json").isEmpty(), report.findings().toString());
  }

  @Test
  void zipTooLargeToHoldIsStreamedAndStillSearched() throws Exception {
    byte[] noise = new byte[64 * 1024];
    new java.util.Random(7).nextBytes(noise);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("padding.bin"));
      zip.write(noise);
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("conf/pool.json"));
      zip.write(Samples.minerConfig());
      zip.closeEntry();
    }
    new OciLayoutBuilder().layer(new TarBuilder().file("app/big.jar", out.toByteArray()).build(), Compression.GZIP)
        .write(dir.resolve("img"), "t");
    // A 1 KiB in-memory limit forces the streaming path for this 64 KiB jar.
    ScanOptions options = ScanOptions.defaults().withLimits(
        dev.palisade.scanner.api.ScanLimits.DEFAULT.withNesting(3, 1024, 20_000, 4L << 30));
    try (OciLayoutSource source = OciLayoutSource.directory(dir.resolve("img"), "t")) {
      ScanReport report = new ImageScanner(RuleEngine.loadDefault(), options, e -> { }).scan(source);
      assertTrue(!at(report, "app/big.jar!/conf/pool.json").isEmpty(), report.findings().toString());
      assertTrue(report.allIncomplete().isEmpty(), report.allIncomplete().toString());
    }
  }

  @Test
  void whiteoutBodyIsScanned() throws Exception {
    byte[] tar = new TarBuilder().file("tmp/.wh.cache", Samples.minerConfig()).build();
    ScanReport report = scan(new OciLayoutBuilder().layer(tar, Compression.GZIP));
    assertTrue(!at(report, "tmp/.wh.cache").isEmpty(), report.findings().toString());
  }

  @Test
  void trailingDataAfterTheArchiveIsReportedAndIncomplete() throws Exception {
    byte[] tar = new TarBuilder().file("a", "x").build();
    ByteArrayOutputStream withTail = new ByteArrayOutputStream();
    withTail.write(tar);
    withTail.write(Samples.minerConfig());
    ScanReport report = scan(new OciLayoutBuilder().layer(withTail.toByteArray(), Compression.GZIP));
    assertTrue(report.findings().stream().anyMatch(f -> f.ruleId().equals("layer.trailing-data")), report.findings().toString());
    assertTrue(report.allIncomplete().stream().anyMatch(i -> i.reason().equals("trailing-data")));
  }

  @Test
  void climbingAndAbsoluteNamesAreFindings() throws Exception {
    byte[] tar = new TarBuilder().file("../../etc/cron.d/x", "x").file("/abs/file", "y").build();
    ScanReport report = scan(new OciLayoutBuilder().layer(tar, Compression.NONE));
    assertEquals(2, report.findings().stream().filter(f -> f.ruleId().equals("layer.suspicious-path")).count(),
        report.findings().toString());
  }

  @Test
  void tarWithoutEndOfArchiveBlocksIsComplete() throws Exception {
    byte[] tar = new TarBuilder().file("a", "hello").build();
    // Cut the two 512-byte zero blocks (and the record padding) the way umoci leaves them out.
    byte[] cut = java.util.Arrays.copyOf(tar, 1024);
    ScanReport report = scan(new OciLayoutBuilder().layer(cut, Compression.GZIP));
    assertEquals(ScanStatus.CLEAN, report.status(), report.allIncomplete().toString());
    assertEquals(1, report.platforms().get(0).layers().get(0).entries());
  }

  @Test
  void entryCutInsideItsDataIsIncomplete() throws Exception {
    byte[] tar = new TarBuilder().file("big", new byte[10_000]).build();
    byte[] cut = java.util.Arrays.copyOf(tar, 4096);
    ScanReport report = scan(new OciLayoutBuilder().layer(cut, Compression.GZIP));
    assertEquals(ScanStatus.INCOMPLETE, report.status());
  }

  @Test
  void hardLinkInALaterLayerOntoAStartupHookPathIsAFinding() throws Exception {
    // The payload sits at a harmless path, where the .pth rule never looks; a later layer gives it
    // a second name in dist-packages, with no bytes of its own for any content rule to see.
    byte[] payload = new TarBuilder().file("usr/share/doc/x/notes.txt",
        "import os; exec(__import__('base64').b64decode('aWQ='))\n").build();
    byte[] link = new TarBuilder().hardlink("usr/lib/python3/dist-packages/x.pth", "usr/share/doc/x/notes.txt").build();
    ScanReport report = scan(new OciLayoutBuilder().layer(payload, Compression.GZIP).layer(link, Compression.GZIP));
    assertEquals(ScanStatus.FINDINGS, report.status());
    List<Finding> found = at(report, "usr/lib/python3/dist-packages/x.pth").stream()
        .filter(f -> f.ruleId().equals("layer.hardlink-to-sensitive-location")).toList();
    assertEquals(1, found.size(), report.findings().toString());
    assertEquals(dev.palisade.scanner.detect.Severity.HIGH, found.get(0).severity());
    assertEquals("usr/lib/python3/dist-packages/x.pth -> usr/share/doc/x/notes.txt", found.get(0).evidence());
  }

  @Test
  void hardLinksOntoPersistencePathsAreFindings() throws Exception {
    String[] places = {"etc/ld.so.preload", "etc/cron.d/x", "etc/systemd/system/x.service", "root/.ssh/authorized_keys",
        "./usr/local/lib/python3.11/site-packages/y.pth"};
    TarBuilder links = new TarBuilder();
    for (String place : places) {
      links.hardlink(place, "tmp/blob");
    }
    ScanReport report = scan(new OciLayoutBuilder().layer(new TarBuilder().file("tmp/blob", "x\n").build(), Compression.GZIP)
        .layer(links.build(), Compression.NONE));
    assertEquals(places.length, report.findings().stream()
        .filter(f -> f.ruleId().equals("layer.hardlink-to-sensitive-location")).count(), report.findings().toString());
  }

  @Test
  void hardLinkBetweenOrdinaryFilesIsNotAFinding() throws Exception {
    byte[] perl = new TarBuilder().file("usr/bin/perl", new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}, 0755).build();
    byte[] link = new TarBuilder().hardlink("usr/bin/perl5.36", "usr/bin/perl").build();
    ScanReport report = scan(new OciLayoutBuilder().layer(perl, Compression.GZIP).layer(link, Compression.GZIP));
    assertEquals(ScanStatus.CLEAN, report.status(), report.findings().toString());
    assertEquals(List.of(), report.findings());
  }
}
