package dev.palisade.release.scan;

import dev.palisade.oci.OciException;
import dev.palisade.oci.source.OciLayoutSource;
import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseEvent;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.image.BuiltImage;
import dev.palisade.scanner.api.ScanException;
import dev.palisade.scanner.api.ScanOptions;
import dev.palisade.scanner.api.ScanReport;
import dev.palisade.scanner.detect.RuleEngine;
import dev.palisade.scanner.image.ImageScanner;
import dev.palisade.scanner.detect.Severity;
import dev.palisade.scanner.rules.RuleSetException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Scans the built OCI layout with the scanner library, before anything leaves the machine. The
 * layout scanned is the one the push reads, so what is pushed is what was scanned. An incomplete
 * scan fails the gate too: "could not look" is not "clean".
 */
public final class ScanGate {

  /** The scan and the verdict. */
  public record Result(ScanReport report, boolean passed, String reason) {
    public Result {
      Objects.requireNonNull(report, "report");
      Objects.requireNonNull(reason, "reason");
    }
  }

  private final Severity threshold;
  private final Path rules;
  private final Consumer<ReleaseEvent> events;

  /** @param rules a rules directory or file, or null for the scanner's default rules */
  public ScanGate(Severity threshold, Path rules, Consumer<ReleaseEvent> events) {
    this.threshold = Objects.requireNonNull(threshold, "threshold");
    this.rules = rules;
    this.events = events;
  }

  public Result check(BuiltImage image) throws ReleaseException {
    ScanReport report;
    try (OciLayoutSource source = OciLayoutSource.directory(image.layout(), null)) {
      RuleEngine engine = rules == null ? RuleEngine.loadDefault() : RuleEngine.load(rules);
      report = new ImageScanner(engine, ScanOptions.defaults(), e -> {}).scan(source);
    } catch (RuleSetException e) {
      throw new ReleaseException(Failure.USAGE, "scan rules: " + e.getMessage(), e);
    } catch (OciException | ScanException | IOException e) {
      throw new ReleaseException(Failure.SCAN_GATE, "the scan of " + image.digest() + " failed: " + e.getMessage(), e);
    }
    if (!report.imageDigest().equals(image.digest().toString())) {
      throw new ReleaseException(Failure.SCAN_GATE, "scanned " + report.imageDigest() + " but built "
          + image.digest() + "; refusing to continue");
    }
    Result result;
    if (report.hasFindingsAtLeast(threshold)) {
      result = new Result(report, false, "findings at or above " + threshold.name().toLowerCase(java.util.Locale.ROOT));
    } else if (!report.allIncomplete().isEmpty()) {
      result = new Result(report, false, "the scan was incomplete");
    } else {
      result = new Result(report, true, "no findings at or above " + threshold.name().toLowerCase(java.util.Locale.ROOT));
    }
    events.accept(new ReleaseEvent("scan", (result.passed() ? "passed: " : "FAILED: ") + result.reason()));
    return result;
  }
}
