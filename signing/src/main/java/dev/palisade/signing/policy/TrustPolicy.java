package dev.palisade.signing.policy;

import java.util.List;
import java.util.Optional;

/** A trust policy: rules tried in file order, the first whose images match applies. */
public record TrustPolicy(String source, List<PolicyRule> rules) {

  public TrustPolicy {
    rules = List.copyOf(rules);
  }

  public Optional<PolicyRule> ruleFor(String repositoryPath) {
    return rules.stream().filter(rule -> rule.covers(repositoryPath)).findFirst();
  }
}
