package dev.palisade.scanner.image;

import dev.palisade.scanner.api.Finding;
import dev.palisade.scanner.api.Incomplete;
import dev.palisade.scanner.api.LayerSummary;
import dev.palisade.scanner.api.PlatformReport;
import dev.palisade.scanner.api.ScanException;
import dev.palisade.scanner.api.ScanLimits;
import dev.palisade.scanner.api.ScanReport;
import dev.palisade.scanner.content.ContentScanner;
import dev.palisade.scanner.content.ContentSink;
import dev.palisade.scanner.detect.Detection;
import dev.palisade.scanner.detect.Detector;
import dev.palisade.scanner.detect.FileContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Scans an unpacked filesystem ({@code dir:ROOTFS}) as if it were one layer. Symbolic links are
 * never followed, so the walk cannot leave the tree or loop.
 */
public final class DirectoryScanner {

  private final Detector detector;
  private final ScanLimits limits;

  public DirectoryScanner(Detector detector, ScanLimits limits) {
    this.detector = detector;
    this.limits = limits;
  }

  public ScanReport scan(Path root) throws ScanException {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new ScanException("dir:" + root + " is not a directory");
    }
    Sink sink = new Sink();
    ContentScanner content = new ContentScanner(detector, limits, sink);
    long[] totals = new long[2];
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
          if (!attributes.isRegularFile()) {
            return FileVisitResult.CONTINUE;
          }
          String path = root.relativize(file).toString().replace('\\', '/');
          totals[0]++;
          totals[1] += attributes.size();
          try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            content.scanFile(new FileContext(path, attributes.size(), mode(file)), in, 0);
          } catch (IOException e) {
            sink.incomplete("file-unreadable", path, "cannot read: " + e.getMessage());
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          sink.incomplete("file-unreadable", root.relativize(file).toString(), "cannot read: " + e.getMessage());
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new ScanException("dir:" + root + ": " + e.getMessage(), e);
    }
    sink.findings.sort(Comparator.comparing(Finding::path).thenComparing(Finding::ruleId).thenComparingLong(Finding::offset));
    LayerSummary layer = new LayerSummary(0, "dir", "directory", "none", totals[1], totals[1], totals[0]);
    PlatformReport platform = new PlatformReport("unknown", "dir", "none",
        ScanReport.statusOf(sink.findings, sink.incomplete), List.of(layer), sink.findings, sink.incomplete);
    return new ScanReport("dir:" + root, "none", true, detector.info(),
        platform.status(), List.of(platform), List.of(), totals[1]);
  }

  private static int mode(Path file) {
    try {
      Object mode = Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return mode instanceof Integer value ? value : 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return 0;
    }
  }

  private final class Sink implements ContentSink {
    private final List<Finding> findings = new ArrayList<>();
    private final List<Incomplete> incomplete = new ArrayList<>();
    private long nestedBytes;

    @Override
    public void detection(String path, Detection detection) {
      if (findings.size() < limits.maxFindings()) {
        findings.add(new Finding(detection.ruleId(), detection.severity(), detection.title(), "layer", "dir", 0, path,
            0, List.of(), -1, detection.offset(), detection.evidence()));
      }
    }

    @Override
    public void incomplete(String reason, String path, String detail) {
      incomplete.add(new Incomplete(reason, path, detail));
    }

    @Override
    public boolean chargeNestedBytes(long bytes) {
      nestedBytes += bytes;
      return nestedBytes <= limits.maxNestedBytesPerLayer();
    }
  }
}
