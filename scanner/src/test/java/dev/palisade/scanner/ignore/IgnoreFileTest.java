package dev.palisade.scanner.ignore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.scanner.api.Finding;
import dev.palisade.scanner.api.PlatformReport;
import dev.palisade.scanner.api.ScanReport;
import dev.palisade.scanner.api.ScanStatus;
import dev.palisade.scanner.detect.RuleSetInfo;
import dev.palisade.scanner.detect.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IgnoreFileTest {

  static final String LAYER = "sha256:" + "a".repeat(64);

  static ScanReport report() {
    Finding key = new Finding("secret.private-key", Severity.HIGH, "Private key", "layer", LAYER, 0,
        "opt/app/testdata/server.key", 0, List.of(), -1, 0, "-----BEGIN PRIVATE KEY-----***");
    Finding unit = new Finding("persistence.systemd.suspicious-unit", Severity.HIGH, "unit", "layer", LAYER, 0,
        "etc/systemd/system/x.service", 0, List.of(), -1, 0, "ExecStart=/tmp/x");
    PlatformReport p = new PlatformReport("linux/amd64", "sha256:" + "b".repeat(64), "sha256:" + "c".repeat(64),
        ScanStatus.FINDINGS, List.of(), List.of(key, unit), List.of());
    return new ScanReport("oci:x", "sha256:" + "d".repeat(64), false,
        new RuleSetInfo("t", "1", "sha256:" + "e".repeat(64), 2), ScanStatus.FINDINGS, List.of(p), List.of(), 10);
  }

  @Test
  void liveEntrySuppressesExpiredEntryStopsAndSaysSo(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("ignore.yaml"), """
        format: palisade-ignore/1
        entries:
          - rule: secret.private-key
            path: "opt/app/testdata/**"
            reason: fixture key of the test server
            expires: 2030-01-01
          - rule: persistence.systemd.suspicious-unit
            digest: %s
            reason: accepted until the base image is rebuilt
            expires: 2024-01-31
        """.formatted(LAYER));
    IgnoreFile ignores = IgnoreFile.load(file);
    IgnoreFile.Applied applied = ignores.apply(report(), LocalDate.parse("2025-06-01"));
    assertEquals(1, applied.suppressed());
    assertEquals(List.of("persistence.systemd.suspicious-unit"),
        applied.report().findings().stream().map(Finding::ruleId).toList());
    assertEquals(1, applied.notices().size(), applied.notices().toString());
    assertTrue(applied.notices().get(0).contains("line 7") && applied.notices().get(0).contains("expired on 2024-01-31"),
        applied.notices().toString());

    IgnoreFile.Applied later = ignores.apply(report(), LocalDate.parse("2030-01-02"));
    assertEquals(0, later.suppressed(), "both entries expired");
    assertEquals(ScanStatus.FINDINGS, later.report().status());
  }

  @Test
  void entriesNeedRuleWhereReasonAndExpiry(@TempDir Path tmp) throws Exception {
    Path noWhere = Files.writeString(tmp.resolve("a.yaml"),
        "format: palisade-ignore/1\nentries:\n  - rule: secret.private-key\n    reason: x\n    expires: 2030-01-01\n");
    IgnoreFileException e = assertThrows(IgnoreFileException.class, () -> IgnoreFile.load(noWhere));
    assertTrue(e.getMessage().contains(":3:") && e.getMessage().contains("path or digest"), e.getMessage());
    Path typo = Files.writeString(tmp.resolve("b.yaml"),
        "format: palisade-ignore/1\nentries:\n  - rule: r\n    path: p\n    reason: x\n    expire: 2030-01-01\n");
    assertTrue(assertThrows(IgnoreFileException.class, () -> IgnoreFile.load(typo)).getMessage().contains("unknown key 'expire'"));
  }
}
