package dev.palisade.scanner.report;

import dev.palisade.scanner.api.Finding;
import dev.palisade.scanner.api.Incomplete;
import dev.palisade.scanner.api.PlatformReport;
import dev.palisade.scanner.api.ScanReport;
import java.util.List;
import java.util.Locale;

/** The human report: a summary, one line per finding, then what could not be read. */
public final class TableReport {

  private static final int EVIDENCE_WIDTH = 70;

  private TableReport() {}

  public static String render(ScanReport report) {
    StringBuilder out = new StringBuilder();
    out.append("Image:   ").append(report.image()).append('\n');
    out.append("Digest:  ").append(report.imageDigest())
        .append(report.syntheticDigest() ? " (derived: the source has no manifest of its own)" : "").append('\n');
    out.append("Rules:   ").append(report.rules().name()).append(' ').append(report.rules().version())
        .append(" (").append(report.rules().digest()).append(")\n");
    List<Finding> findings = report.findings();
    List<Incomplete> incomplete = report.allIncomplete();
    out.append("Status:  ").append(report.status().name()).append(" — ").append(findings.size()).append(" finding(s), ")
        .append(incomplete.size()).append(" incomplete, ").append(humanBytes(report.bytesScanned())).append(" read\n");
    for (PlatformReport platform : report.platforms()) {
      out.append('\n').append("Platform ").append(platform.platform()).append("  ").append(platform.manifestDigest())
          .append("  ").append(platform.layers().size()).append(" layer(s)\n");
      if (platform.findings().isEmpty()) {
        out.append("  no findings\n");
        continue;
      }
      out.append(String.format("  %-8s  %-32s  %-5s  %s%n", "SEVERITY", "RULE", "LAYER", "PATH / EVIDENCE"));
      for (Finding finding : platform.findings()) {
        String layer = finding.layerIndex() < 0 ? "cfg" : Integer.toString(finding.layerIndex());
        out.append(String.format("  %-8s  %-32s  %-5s  %s%s%n", finding.severity().name(), finding.ruleId(), layer,
            finding.layerIndex() < 0 ? finding.path() : "/" + finding.path(),
            finding.deletedIn() >= 0 ? "  (deleted in layer " + finding.deletedIn() + ")" : ""));
        out.append(String.format("  %-8s  %-32s  %-5s  %s%n", "", "", "", finding.title()
            + (finding.evidence().isEmpty() ? "" : ": " + shorten(finding.evidence()))));
      }
    }
    if (!incomplete.isEmpty()) {
      out.append("\nNot read (the result is not a clean bill of health for these):\n");
      for (Incomplete item : incomplete) {
        out.append("  ").append(item.reason()).append("  ").append(item.location()).append(": ").append(item.detail()).append('\n');
      }
    }
    return out.toString();
  }

  private static String shorten(String evidence) {
    return evidence.length() <= EVIDENCE_WIDTH ? evidence : evidence.substring(0, EVIDENCE_WIDTH - 3) + "...";
  }

  static String humanBytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
