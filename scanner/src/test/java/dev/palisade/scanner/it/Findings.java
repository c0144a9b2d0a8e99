package dev.palisade.scanner.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads a {@code --format json} report into short, comparable lines. */
final class Findings {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Findings() {}

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("report is not JSON:\n" + json, e);
    }
  }

  /**
   * One line per finding of one platform, sorted: {@code RULE config FIELD} for config findings,
   * {@code RULE layer N PATH added A [deleted D]} for layer findings.
   */
  static List<String> describe(JsonNode platform) {
    List<String> lines = new ArrayList<>();
    for (JsonNode finding : platform.path("findings")) {
      lines.add(describeOne(finding));
    }
    lines.sort(null);
    return lines;
  }

  static String describeOne(JsonNode finding) {
    String rule = finding.path("ruleId").asText();
    String source = finding.path("source").asText();
    String path = finding.path("path").asText();
    if (source.equals("config")) {
      return rule + " config " + path;
    }
    StringBuilder line = new StringBuilder(rule).append(' ').append(source).append(' ')
        .append(finding.path("layerIndex").asInt(-1)).append(' ').append(path);
    if (finding.has("addedIn")) {
      line.append(" added ").append(finding.path("addedIn").asInt());
    }
    if (finding.has("deletedIn")) {
      line.append(" deleted ").append(finding.path("deletedIn").asInt());
    }
    return line.toString();
  }

  static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    copy.sort(null);
    return copy;
  }

  /** The only platform of a single-platform report. */
  static JsonNode onlyPlatform(JsonNode report) {
    JsonNode platforms = report.path("platforms");
    if (platforms.size() != 1) {
      throw new AssertionError("expected one platform, got " + platforms.size() + ":\n" + report.toPrettyString());
    }
    return platforms.get(0);
  }
}
