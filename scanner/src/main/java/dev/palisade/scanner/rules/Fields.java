package dev.palisade.scanner.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Typed reads from a located YAML tree that fail with the file, rule, field and line. */
final class Fields {

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");

  final String file;
  final LocatedYaml doc;
  String ruleId;
  /** Path prefix of the rule in the document, e.g. {@code rules[2]}; fields are reported relative to it. */
  String base = "";

  Fields(String file, LocatedYaml doc) {
    this.file = file;
    this.doc = doc;
  }

  RuleValidationException error(String field, String problem) {
    String full = base.isEmpty() ? field : (field == null || field.isEmpty() ? base : base + "." + field);
    return new RuleValidationException(file, ruleId, field == null || field.isEmpty() ? null : field, doc.line(full == null ? "" : full), problem);
  }

  void onlyKeys(JsonNode node, String field, Set<String> allowed) throws RuleValidationException {
    Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw error(join(field, k), "unknown key '" + k + "'; allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)));
      }
    }
  }

  JsonNode object(JsonNode parent, String key, String field, boolean required) throws RuleValidationException {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      if (required) {
        throw error(field, "is required");
      }
      return null;
    }
    if (!n.isObject()) {
      throw error(field, "must be a mapping");
    }
    return n;
  }

  String text(JsonNode parent, String key, String field, boolean required) throws RuleValidationException {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      if (required) {
        throw error(field, "is required");
      }
      return null;
    }
    if (!n.isValueNode() || n.isBoolean()) {
      throw error(field, "must be a string");
    }
    String s = n.asText();
    if (s.isBlank()) {
      throw error(field, "must not be empty");
    }
    return s;
  }

  /** A list of strings; a single scalar counts as a one-element list. */
  List<String> texts(JsonNode parent, String key, String field, boolean required) throws RuleValidationException {
    JsonNode n = parent.get(key);
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      if (required) {
        throw error(field, "is required");
      }
      return out;
    }
    if (n.isValueNode()) {
      out.add(n.asText());
      return out;
    }
    if (!n.isArray()) {
      throw error(field, "must be a list of strings");
    }
    for (int i = 0; i < n.size(); i++) {
      JsonNode e = n.get(i);
      if (!e.isValueNode() || e.asText().isBlank()) {
        throw error(field + "[" + i + "]", "must be a non-empty string");
      }
      out.add(e.asText());
    }
    if (required && out.isEmpty()) {
      throw error(field, "must not be empty");
    }
    return out;
  }

  /** A byte size: an integer, or a string like {@code 64MiB}. -1 when absent. */
  long size(JsonNode parent, String key, String field) throws RuleValidationException {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return -1;
    }
    if (n.isIntegralNumber() && n.asLong() >= 0) {
      return n.asLong();
    }
    Matcher m = SIZE.matcher(n.asText().trim());
    if (!n.isTextual() || !m.matches()) {
      throw error(field, "must be a byte count such as 4096, 512KiB, 64MiB or 1GiB");
    }
    long v = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    int shift = switch (unit) {
      case "KiB" -> 10;
      case "MiB" -> 20;
      case "GiB" -> 30;
      default -> 0;
    };
    return v << shift;
  }

  int integer(JsonNode parent, String key, String field, int fallback) throws RuleValidationException {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isIntegralNumber()) {
      throw error(field, "must be an integer");
    }
    return n.asInt();
  }

  static String join(String field, String key) {
    return field == null || field.isEmpty() ? key : field + "." + key;
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
