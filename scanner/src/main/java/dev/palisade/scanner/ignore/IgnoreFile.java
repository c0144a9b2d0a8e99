package dev.palisade.scanner.ignore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.palisade.scanner.api.Finding;
import dev.palisade.scanner.api.PlatformReport;
import dev.palisade.scanner.api.ScanReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Accepted findings ({@code --ignore-file FILE}), format {@code palisade-ignore/1}:
 *
 * <pre>
 * format: palisade-ignore/1
 * entries:
 *   - rule: secret.private-key
 *     path: "opt/app/testdata/**"       # glob over the finding's path, and/or
 *     digest: sha256:...                # the image, platform manifest or layer digest
 *     reason: test key of the fixture server, never deployed
 *     expires: 2026-06-30               # last day it suppresses
 * </pre>
 *
 * Expired entries stop suppressing and are reported as expired; so is an entry that matched
 * nothing, so stale entries do not pile up silently.
 */
public final class IgnoreFile {

  public static final String FORMAT = "palisade-ignore/1";
  private static final Set<String> KEYS = Set.of("rule", "path", "digest", "reason", "expires");

  /** The outcome of applying the file to a report. */
  public record Applied(ScanReport report, int suppressed, List<String> notices) {
    public Applied {
      notices = List.copyOf(notices);
    }
  }

  private final List<IgnoreEntry> entries;

  private IgnoreFile(List<IgnoreEntry> entries) {
    this.entries = List.copyOf(entries);
  }

  public List<IgnoreEntry> entries() {
    return entries;
  }

  /** Parses {@code file}; errors name the file and the entry's line. */
  public static IgnoreFile load(Path file) throws IgnoreFileException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IgnoreFileException(file + ": cannot read: " + e.getMessage());
    }
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode root;
    try {
      root = yaml.readTree(bytes);
    } catch (IOException e) {
      throw new IgnoreFileException(file + ": not valid YAML: " + e.getMessage());
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IgnoreFileException(file + ": format must be " + FORMAT);
    }
    int[] lines = entryLines(yaml, bytes);
    List<IgnoreEntry> out = new ArrayList<>();
    JsonNode list = root.path("entries");
    if (!list.isArray()) {
      throw new IgnoreFileException(file + ": entries must be a list");
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode e = list.get(i);
      int line = i < lines.length ? lines[i] : 0;
      for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!KEYS.contains(key)) {
          throw new IgnoreFileException(file + ":" + line + ": unknown key '" + key + "' (known: rule, path, digest, reason, expires)");
        }
      }
      try {
        out.add(new IgnoreEntry(line, text(e, "rule"), text(e, "path"), text(e, "digest"), text(e, "reason"),
            e.hasNonNull("expires") ? LocalDate.parse(e.get("expires").asText()) : null));
      } catch (IllegalArgumentException | DateTimeParseException bad) {
        throw new IgnoreFileException(file + ":" + line + ": entry " + (i + 1) + ": " + bad.getMessage());
      }
    }
    return new IgnoreFile(out);
  }

  private static String text(JsonNode n, String key) {
    return n.hasNonNull(key) ? n.get(key).asText() : null;
  }

  /** Line numbers (1-based) of each item of the entries list, from the YAML token stream. */
  private static int[] entryLines(ObjectMapper yaml, byte[] bytes) {
    List<Integer> lines = new ArrayList<>();
    try (YAMLParser p = (YAMLParser) yaml.getFactory().createParser(bytes)) {
      int depth = 0;
      boolean inEntries = false;
      for (com.fasterxml.jackson.core.JsonToken t; (t = p.nextToken()) != null; ) {
        if (t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME && depth == 1 && "entries".equals(p.currentName())) {
          inEntries = true;
        }
        if (t.isStructStart()) {
          depth++;
          if (inEntries && depth == 3 && t == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
            lines.add(p.currentLocation().getLineNr());
          }
        } else if (t.isStructEnd()) {
          depth--;
          if (depth == 1) {
            inEntries = false;
          }
        }
      }
    } catch (IOException e) {
      return new int[0];
    }
    return lines.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Removes the findings live entries cover; expired and unused entries become notices. */
  public Applied apply(ScanReport report, LocalDate today) {
    boolean[] used = new boolean[entries.size()];
    int suppressed = 0;
    List<PlatformReport> platforms = new ArrayList<>();
    for (PlatformReport p : report.platforms()) {
      List<Finding> kept = new ArrayList<>();
      for (Finding f : p.findings()) {
        boolean drop = false;
        for (int i = 0; i < entries.size(); i++) {
          IgnoreEntry e = entries.get(i);
          if (e.covers(f, report.imageDigest(), p.manifestDigest())) {
            used[i] = true;
            drop |= !e.expiredOn(today);
          }
        }
        if (drop) {
          suppressed++;
        } else {
          kept.add(f);
        }
      }
      platforms.add(new PlatformReport(p.platform(), p.manifestDigest(), p.configDigest(),
          ScanReport.statusOf(kept, p.incomplete()), p.layers(), kept, p.incomplete()));
    }
    List<String> notices = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      IgnoreEntry e = entries.get(i);
      if (e.expiredOn(today)) {
        notices.add("ignore entry " + e.describe() + " expired on " + e.expires() + (used[i]
            ? ": it no longer suppresses, its findings are reported" : " and matched nothing"));
      } else if (!used[i]) {
        notices.add("ignore entry " + e.describe() + " matched no finding");
      }
    }
    List<Finding> all = new ArrayList<>();
    platforms.forEach(p -> all.addAll(p.findings()));
    ScanReport filtered = new ScanReport(report.image(), report.imageDigest(), report.syntheticDigest(), report.rules(),
        ScanReport.statusOf(all, report.allIncomplete()), platforms, report.incomplete(), report.bytesScanned());
    return new Applied(filtered, suppressed, notices);
  }
}
