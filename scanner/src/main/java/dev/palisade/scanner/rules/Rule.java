package dev.palisade.scanner.rules;

import dev.palisade.scanner.detect.Severity;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One detection rule, as loaded and validated.
 *
 * @param falsePositiveGuards what keeps this rule from firing on harmless files, in words
 * @param source where the rule was defined ({@code rules/miners.yaml:12}), for messages and listings
 */
public record Rule(
    String id,
    String title,
    Severity severity,
    String category,
    String description,
    List<String> falsePositiveGuards,
    Set<Scope> scope,
    Gate gate,
    List<StringDef> strings,
    Condition condition,
    String source) {

  public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{1,99}");

  public Rule {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("bad rule id: " + id);
    }
    if (title == null || title.isBlank() || severity == null || category == null || condition == null) {
      throw new IllegalArgumentException("title, severity, category and condition are required");
    }
    falsePositiveGuards = List.copyOf(falsePositiveGuards);
    scope = Set.copyOf(scope);
    strings = List.copyOf(strings);
    if (scope.isEmpty()) {
      throw new IllegalArgumentException("scope must not be empty");
    }
  }

  public StringDef string(String name) {
    for (StringDef s : strings) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    return null;
  }
}
