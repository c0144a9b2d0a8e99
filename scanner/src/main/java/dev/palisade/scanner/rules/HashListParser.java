package dev.palisade.scanner.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.scanner.detect.Severity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads a known-bad hash list ({@code format: palisade-hashes/1}); see policies/README.md. */
final class HashListParser {

  static final String FORMAT = "palisade-hashes/1";

  private HashListParser() {}

  static List<KnownBadHash> parse(String file, LocatedYaml doc) throws RuleValidationException {
    Fields f = new Fields(file, doc);
    if (!doc.root.isObject()) {
      throw f.error(null, "a hash list is a mapping with 'format' and 'entries'");
    }
    f.onlyKeys(doc.root, "", Set.of("format", "entries"));
    String format = f.text(doc.root, "format", "format", true);
    if (!FORMAT.equals(format)) {
      throw f.error("format", "expected '" + FORMAT + "', found '" + format + "'");
    }
    JsonNode entries = doc.root.get("entries");
    List<KnownBadHash> out = new ArrayList<>();
    if (entries == null || entries.isNull()) {
      return out;
    }
    if (!entries.isArray()) {
      throw f.error("entries", "must be a list");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      String field = "entries[" + i + "]";
      JsonNode e = entries.get(i);
      if (!e.isObject()) {
        throw f.error(field, "must be a mapping");
      }
      f.onlyKeys(e, field, Set.of("sha256", "name", "reason", "severity", "size"));
      String sha = f.text(e, "sha256", field + ".sha256", true).toLowerCase(Locale.ROOT);
      if (!sha.matches("[0-9a-f]{64}")) {
        throw f.error(field + ".sha256", "must be 64 hex digits");
      }
      if (!seen.add(sha)) {
        throw f.error(field + ".sha256", "duplicate entry " + sha);
      }
      String sev = f.text(e, "severity", field + ".severity", true);
      Severity severity = Severity.parse(sev);
      if (severity == null) {
        throw f.error(field + ".severity", "'" + sev + "' is not one of INFO, LOW, MEDIUM, HIGH, CRITICAL");
      }
      long size = f.size(e, "size", field + ".size");
      out.add(new KnownBadHash(sha, f.text(e, "name", field + ".name", true), f.text(e, "reason", field + ".reason", true), severity, size));
    }
    return out;
  }
}
