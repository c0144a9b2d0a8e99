package dev.palisade.scanner.rules;

import dev.palisade.scanner.detect.RuleSetInfo;
import java.util.List;

/**
 * A loaded, validated rule set: what {@link RuleSetLoader} returns and the engine compiles.
 *
 * @param files the relative paths the digest covers, sorted
 */
public record RuleSet(String name, String version, String digest, List<Rule> rules, List<KnownBadHash> knownBad, List<String> files) {

  public RuleSet {
    rules = List.copyOf(rules);
    knownBad = List.copyOf(knownBad);
    files = List.copyOf(files);
  }

  public RuleSetInfo info() {
    return new RuleSetInfo(name, version, digest, rules.size());
  }

  public Rule rule(String id) {
    for (Rule r : rules) {
      if (r.id().equals(id)) {
        return r;
      }
    }
    return null;
  }
}
